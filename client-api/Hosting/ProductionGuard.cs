using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// No fake in production by accident. With a database configured, a process refuses to start when card payments
/// would go to the built-in sandbox checkout, messages to the outbox folder, or payment links would be signed with a
/// missing or short key — unless the operator says so (<c>Recouvrement:Payments:Sandbox</c>,
/// <c>Recouvrement:Channels:Outbox</c> set to <c>true</c>), which is then warned of at start-up and in
/// <c>/health/ready</c>. The embedded default (no database) runs on fakes by design and is not checked.
/// </summary>
public static class ProductionGuard
{
    public const string SandboxKey = "Recouvrement:Payments:Sandbox";
    public const string OutboxKey = "Recouvrement:Channels:Outbox";

    /// <summary>The least length of a payment-link signing key: HMAC-SHA256 wants a key as long as its output.</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>What stops a durable process from starting, and what it runs on by the operator's choice.</summary>
    public sealed record Findings(IReadOnlyList<string> Refusals, IReadOnlyList<string> Warnings);

    /// <param name="sendsMessages">True for a silo (it sends e-mails and SMS); false for the API tier alone.</param>
    public static Findings Inspect(IConfiguration configuration, bool sendsMessages)
    {
        var refusals = new List<string>();
        var warnings = new List<string>();
        if (!EngineDatabase.IsConfigured(configuration))
        {
            return new Findings(refusals, warnings);
        }

        if (string.IsNullOrWhiteSpace(configuration["Recouvrement:Payments:Stripe:SecretKey"]))
        {
            Choose(configuration.GetValue<bool>(SandboxKey), refusals, warnings,
                $"card payments go to the built-in sandbox checkout, which takes no money: set Recouvrement:Payments:Stripe:SecretKey, or {SandboxKey}=true to run on the sandbox",
                "card payments go to the built-in sandbox checkout, which takes no money");
        }

        if (sendsMessages)
        {
            var unsent = new List<string>();
            if (string.IsNullOrWhiteSpace(configuration["Recouvrement:Channels:SendGrid:ApiKey"]))
            {
                unsent.Add("e-mails (Recouvrement:Channels:SendGrid:ApiKey)");
            }

            if (string.IsNullOrWhiteSpace(configuration["Recouvrement:Channels:Twilio:AccountSid"]))
            {
                unsent.Add("SMS (Recouvrement:Channels:Twilio:AccountSid)");
            }

            if (unsent.Count > 0)
            {
                var folder = Path.GetFullPath(configuration["Recouvrement:Outbox:Path"] ?? "outbox");
                Choose(configuration.GetValue<bool>(OutboxKey), refusals, warnings,
                    $"{string.Join(" and ", unsent)} would be written to the outbox folder {folder}, never sent: configure the provider, or set {OutboxKey}=true",
                    $"{string.Join(" and ", unsent.Select(u => u[..u.IndexOf(" (", StringComparison.Ordinal)]))} are written to the outbox folder {folder}, never sent");
            }
        }

        if (SigningKeyProblem(configuration["Recouvrement:PaymentLinks:SigningKey"]) is { } problem)
        {
            refusals.Add($"Recouvrement:PaymentLinks:SigningKey {problem}: links would die with the process or be forgeable; set a random key of {MinimumSigningKeyBytes} bytes or more, in base64, the same on every process");
        }

        return new Findings(refusals, warnings);
    }

    /// <summary>
    /// Checks the configuration before anything starts (<see cref="Enforce"/>), then reports the fakes the operator
    /// chose in the start-up log and in <c>/health/ready</c>.
    /// </summary>
    public static WebApplicationBuilder AddProductionGuard(this WebApplicationBuilder builder, bool sendsMessages)
    {
        var findings = Enforce(builder.Configuration, sendsMessages);
        builder.Services.AddSingleton(findings);
        builder.Services.AddHostedService<FakesWarning>();
        builder.Services.AddHealthChecks().AddCheck<FakesInUseCheck>("providers", tags: ["ready"]);
        return builder;
    }

    /// <summary>Stops the start with every refusal in one message; a process on fakes by choice says so.</summary>
    public static Findings Enforce(IConfiguration configuration, bool sendsMessages)
    {
        var findings = Inspect(configuration, sendsMessages);
        if (findings.Refusals.Count > 0)
        {
            throw new InvalidOperationException(
                "Refusing to start on PostgreSQL with fakes in place of real services:" + Environment.NewLine
                + string.Join(Environment.NewLine, findings.Refusals.Select(r => "  - " + r)));
        }

        return findings;
    }

    private static void Choose(bool allowed, List<string> refusals, List<string> warnings, string refusal, string warning)
    {
        if (allowed)
        {
            warnings.Add(warning);
        }
        else
        {
            refusals.Add(refusal);
        }
    }

    private static string? SigningKeyProblem(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "is not set";
        }

        try
        {
            return Convert.FromBase64String(key).Length < MinimumSigningKeyBytes ? $"is shorter than {MinimumSigningKeyBytes} bytes" : null;
        }
        catch (FormatException)
        {
            return "is not base64";
        }
    }
}

/// <summary>Ready, with the fakes the operator chose to run on (sandbox checkout, outbox folder) named in its detail.</summary>
public sealed class FakesInUseCheck(ProductionGuard.Findings findings) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(findings.Warnings.Count == 0
            ? HealthCheckResult.Healthy("real providers")
            : HealthCheckResult.Degraded("running on fakes by the operator's choice: " + string.Join("; ", findings.Warnings)));
}

/// <summary>Says at start-up, as a warning, which fakes a durable process runs on by the operator's choice.</summary>
internal sealed partial class FakesWarning(ProductionGuard.Findings findings, ILogger<FakesWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in findings.Warnings)
        {
            LogFake(logger, warning);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running on a fake by the operator's choice: {What}")]
    private static partial void LogFake(ILogger logger, string what);
}
