using System.Diagnostics.Metrics;

namespace Recouvrement.Hosting;

/// <summary>
/// The engine's domain metrics, on the <c>Recouvrement</c> meter. Counters are per process: sum them across silos.
/// No tag holds anything personal.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "Recouvrement";
    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> StatusChanges = Meter.CreateCounter<long>(
        "recouvrement.cases.status_changes", "{case}", "Cases entering a status (created cases enter active)");

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>(
        "recouvrement.messages", "{message}", "Messages handed to a channel, by channel and outcome");

    private static readonly Counter<long> Feedback = Meter.CreateCounter<long>(
        "recouvrement.messages.feedback", "{event}", "Provider feedback on messages, by channel and outcome");

    private static readonly Counter<double> Recovered = Meter.CreateCounter<double>(
        "recouvrement.amount.recovered", "EUR", "Money recorded on cases, by payment method");

    private static readonly Counter<long> Payments = Meter.CreateCounter<long>(
        "recouvrement.payments", "{payment}", "Payments recorded on cases, by payment method");

    public static void CaseEntered(CaseStatus status) =>
        StatusChanges.Add(1, new KeyValuePair<string, object?>("status", Cases.CaseDecisions.Wire(status)));

    public static void MessageSent(Channel channel, string outcome) =>
        Messages.Add(1, new("channel", channel.ToString().ToLowerInvariant()), new("outcome", outcome));

    public static void FeedbackReceived(Channel channel, DeliveryOutcome outcome) =>
        Feedback.Add(1, new("channel", channel.ToString().ToLowerInvariant()), new("outcome", outcome.ToString().ToLowerInvariant()));

    public static void PaymentRecorded(string method, decimal amount, string currency)
    {
        Payments.Add(1, new KeyValuePair<string, object?>("method", method));
        if (currency == "EUR")
        {
            Recovered.Add((double)amount, new KeyValuePair<string, object?>("method", method));
        }
    }
}
