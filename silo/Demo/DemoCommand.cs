using System.Globalization;
using Recouvrement.Api.Access;
using Recouvrement.Calendar;
using Recouvrement.Silo.Hosting;
using Recouvrement.Silo.Simulation;

namespace Recouvrement.Silo.Demo;

/// <summary>
/// <c>silo demo</c>: the embedded engine (nothing durable, no credentials) on a fast clock, with a simulated portfolio
/// whose debtors answer their messages through the debtor page and the providers' webhooks (<see cref="DemoPortfolio"/>),
/// so that a newcomer watches cases go from the first reminder to paid, plan, dispute and escalation in minutes.
/// </summary>
public static class DemoCommand
{
    public const string Name = "demo";

    /// <summary>Engine seconds per real second unless <c>Recouvrement:Clock:Speed</c> says otherwise: a day in 4 seconds.</summary>
    public const double DefaultSpeed = 21_600;

    /// <summary>Real time between the start and the clock reaching day 0 (Monday 00:00 in Paris): the portfolio is fed before.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(20);

    public static bool Asked(string[] args) => args.Length > 0 && args[0] == Name;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null) => SiloHost.Build(args[1..], builder =>
    {
        customize?.Invoke(builder);
        var configuration = builder.Configuration;
        var providers = new SimulatedProviders();
        builder.Services.AddSingleton(providers);
        var now = DateTimeOffset.UtcNow;
        var outbox = configuration["Recouvrement:Outbox:Path"] ?? Path.Combine("outbox", $"demo-{now:yyyyMMdd-HHmmss}");
        var settings = new Dictionary<string, string?>(providers.Settings().Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
        {
            // Embedded whatever the environment says: the demo stores nothing.
            ["ConnectionStrings:Recouvrement"] = string.Empty,
            ["Recouvrement:Demo:ApiKey"] = configuration["Recouvrement:Demo:ApiKey"] is { Length: > 0 } key ? key : ApiKeys.NewKey(),
            ["Recouvrement:Clock:Speed"] = configuration["Recouvrement:Clock:Speed"] ?? DefaultSpeed.ToString(CultureInfo.InvariantCulture),
            ["Recouvrement:Clock:Start"] = DayZero(now).ToString("O"),
            ["Recouvrement:Clock:Anchor"] = (now + Lead).ToString("O"),
            ["Recouvrement:Outbox:Path"] = outbox,
            ["Recouvrement:Channels:Letters:Path"] = configuration["Recouvrement:Channels:Letters:Path"] ?? Path.Combine(outbox, "letters"),
        };
        // The demo's own progress lines say what happens: the engine's line per message and case step, and Orleans'
        // timers found late by the fast clock on a busy machine, would bury them. Settings given win.
        foreach (var (category, level) in new[] { ("Recouvrement", "Warning"), ("Orleans.Runtime.AsyncTimer", "Error") })
        {
            settings[$"Logging:LogLevel:{category}"] = configuration[$"Logging:LogLevel:{category}"] ?? level;
        }

        configuration.AddInMemoryCollection(settings);
        builder.Services.AddHostedService<DemoPortfolio>();
    });

    /// <summary>The demo's day 0: the next Monday, midnight in Paris. The cases fall due the day before, so D+1 is that Monday.</summary>
    public static DateTimeOffset DayZero(DateTimeOffset now)
    {
        var today = ParisTime.DateOf(now);
        var ahead = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        return ParisTime.StartOfDay(today.AddDays(ahead == 0 ? 7 : ahead));
    }
}
