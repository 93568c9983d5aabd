using System.Text.Json;
using System.Text.Json.Serialization;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Simulation;

/// <summary>Runs a simulation, writes <c>simulation.json</c> and one SVG chart per variant, and prints each variant's figures.</summary>
public static class SimulationOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<int> RunAsync(SimulateScenario.Options options)
    {
        var folder = options.Output ?? Path.Combine(Engine.RepositoryRoot(), "loadtests", "results", $"simulate-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"simulate: {options.Debtors:N0} debtors, {options.Days} days, seed {options.Seed}, variants {string.Join(", ", options.Policies.Select(Path.GetFileNameWithoutExtension))}");
        var result = await SimulateScenario.RunAsync(options, Console.Out);

        await File.WriteAllTextAsync(Path.Combine(folder, "simulation.json"), JsonSerializer.Serialize(result, Json));
        foreach (var variant in result.Variants)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, variant.Name + ".svg"), RecoveryChart.Svg(variant.Name, variant.RecoveryByDay));
            Console.WriteLine($"  {variant.Name,-20} debtors {variant.Debtors,7:N0}  recovered {variant.Recovered,12:N2} ({variant.RecoveryRate:P1})  paid cases {variant.PaidCases,6:N0}"
                + $"  messages {variant.Messages["total"]}  cost {variant.Cost:N2}  p {variant.PValue?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"
                + $"  violations window/gap/cap {variant.WindowViolations}/{variant.GapViolations}/{variant.CapViolations}");
        }

        Console.WriteLine($"  answers   {string.Join(", ", result.Answers.Select(a => $"{a.Key} {a.Value}"))}");
        Console.WriteLine($"  requests  {string.Join(", ", result.Requests.Select(a => $"{a.Key} {a.Value}"))}");
        var points = result.ContactPoints;
        Console.WriteLine($"  feedback  e-mail bounced {points.Bounced} (disabled {points.EmailDisabled}), number invalid {points.InvalidNumbers} (disabled {points.SmsDisabled}), STOP {points.Stopped} (opted out {points.SmsOptedOut})");
        Console.WriteLine($"  speed     {result.CaseDaysPerSecond:N0} simulated case-days per second ({result.WallSeconds:0} s; outbox listed {result.OutboxListings} time(s), {result.MissedByNotifications} file(s) its notifications missed; load average over 15 min {result.LoadAverage:0.00} on {Environment.ProcessorCount} cores)");
        foreach (var (name, value) in result.Baselines)
        {
            Console.WriteLine($"  baseline  {name} {value:N0}");
        }

        Console.WriteLine($"  output    {folder}");
        return result.Variants.Sum(v => v.WindowViolations + v.GapViolations + v.CapViolations) == 0 ? 0 : 1;
    }
}
