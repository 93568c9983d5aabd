using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recouvrement.Silo.Simulation;

/// <summary>A message a simulated debtor read: whose, which variant, by which channel, sent when (engine time).</summary>
public sealed record Seen(string Debtor, string Variant, string Channel, DateTimeOffset At);

/// <summary>
/// The simulated debtors of a <see cref="Portfolio"/>: they read each new message the engine wrote (<see cref="OutboxWatch"/>)
/// and answer as the population says, only through what a real debtor or provider reaches: the debtor page their link
/// opens (pay through the sandbox checkout, dispute, ask for a plan), a bank transfer the creditor records through its
/// API (a debtor reached by letter only, an instalment), and the providers' signed webhooks (<see cref="SimulatedProviders"/>:
/// the bounces and invalid numbers of a debtor who moved, STOP replies). Answers are drawn in the order the messages
/// were sent, so the same seed gives the same answers whatever the timings.
/// </summary>
public sealed class SimulatedDebtors : IDisposable
{
    private readonly Uri _engine;
    private readonly string _creditorId;
    private readonly Portfolio _portfolio;
    private readonly Func<string, string> _variantOf;
    private readonly DateTimeOffset _dayZero;
    private readonly SimulatedProviders _providers;
    private readonly OutboxWatch _watch;
    private readonly Dictionary<string, int> _count = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly HashSet<(string Debtor, int Number)> _instalments = [];
    private readonly Dictionary<string, int> _planDays = new(StringComparer.Ordinal);
    private readonly List<Task> _acting = [];
    private readonly SemaphoreSlim _concurrency = new(16);
    private readonly HttpClient _http;
    private readonly HttpClient _creditor;

    /// <param name="engine">The engine's HTTP address.</param>
    /// <param name="creditorKey">The creditor's API key: it records the bank transfers.</param>
    /// <param name="variantOf">A debtor's variant, as the engine assigns it.</param>
    /// <param name="dayZero">The engine instant of day 0, from which payments are counted by day.</param>
    public SimulatedDebtors(Uri engine, string creditorId, string creditorKey, string outbox, string letters, Portfolio portfolio,
        SimulatedProviders providers, Func<string, string> variantOf, DateTimeOffset dayZero)
    {
        _engine = engine;
        _creditorId = creditorId;
        _portfolio = portfolio;
        _providers = providers;
        _variantOf = variantOf;
        _dayZero = dayZero;
        _watch = new OutboxWatch(outbox, letters);
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = engine, Timeout = TimeSpan.FromMinutes(2) };
        _creditor = new HttpClient { BaseAddress = engine, Timeout = TimeSpan.FromMinutes(2) };
        _creditor.DefaultRequestHeaders.Authorization = new("Bearer", creditorKey);
    }

    public List<Seen> Messages { get; } = [];

    public ConcurrentDictionary<Answer, int> Answers { get; } = new();

    /// <summary>The payments made: the debtor's variant, the engine day of the message answered, the amount.</summary>
    public ConcurrentBag<(string Variant, int Day, decimal Amount)> Payments { get; } = [];

    /// <summary>
    /// What became of the requests: <c>paid</c>, <c>disputed</c>, <c>transfer</c>, <c>plan</c> (agreed),
    /// <c>plan_proposed</c> (left to the creditor), <c>instalment</c>, <c>instalment_missed</c>, <c>bounce</c>,
    /// <c>invalid_number</c>, <c>stop</c>, or the step and status that failed.
    /// </summary>
    public ConcurrentDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>The debtors whose e-mail bounced, whose number was invalid, who replied STOP (by the providers' webhooks).</summary>
    public ConcurrentDictionary<string, (bool Bounced, bool Invalid, bool Stopped)> Feedback { get; } = new(StringComparer.Ordinal);

    /// <summary>How many times the outbox had to be listed (the first time, and when notifications overflowed).</summary>
    public int Listings => _watch.Listings;

    public string VariantOf(string debtor) => _variantOf(debtor);

    /// <summary>Each debtor's page (path and token), from the last e-mail or SMS that linked it.</summary>
    public IReadOnlyDictionary<string, string> PageLinks => _links;

    /// <summary>Files the outbox's notifications missed and a listing found (see <see cref="OutboxWatch.Missed"/>).</summary>
    public int MissedByNotifications => _watch.Missed;

    /// <summary>
    /// Reads the messages written since the last call and starts the answers they call for. Messages sent at or after
    /// <paramref name="until"/> (engine time) are left unread, so that the end of a run does not depend on how far
    /// the engine got before it was read; <paramref name="list"/> checks the folders by a listing as well.
    /// </summary>
    public async Task ReadNewMessagesAsync(DateTimeOffset? until = null, bool list = false)
    {
        var fresh = new List<Message>();
        foreach (var file in _watch.TakeNew(list))
        {
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(await File.ReadAllTextAsync(file));
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                _watch.Retry(file); // being written: read it next time
                continue;
            }

            try
            {
                fresh.Add(Message.Of(parsed!));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
            {
                Outcome("unreadable"); // not a message as the engine writes them: counted, and the others still read
            }
        }

        // In the order they were sent, so that each debtor's answers are drawn in the same order on every run.
        foreach (var m in fresh.Where(m => until is null || m.At < until).OrderBy(m => m.At).ThenBy(m => m.Debtor, StringComparer.Ordinal).ThenBy(m => m.Channel, StringComparer.Ordinal))
        {
            Answer(m);
        }

        _acting.RemoveAll(t => t.IsCompletedSuccessfully);
        if (_acting.FirstOrDefault(t => t.IsFaulted) is { } failed)
        {
            await failed;
        }
    }

    public Task DrainAsync() => Task.WhenAll(_acting);

    /// <summary>
    /// Per channel, how many of the debtors the providers reported show the point as the engine must now hold it:
    /// e-mail disabled after a bounce, SMS disabled after an invalid number, SMS opted out after a STOP.
    /// </summary>
    public async Task<(int Bounced, int EmailDisabled, int Invalid, int SmsDisabled, int Stopped, int SmsOptedOut)> ContactPointsAsync()
    {
        int emailDisabled = 0, smsDisabled = 0, optedOut = 0;
        await Parallel.ForEachAsync(Feedback, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, cancellationToken) =>
        {
            var debtor = await _creditor.GetFromJsonAsync<JsonNode>($"/api/v1/debtors/{entry.Key}", cancellationToken);
            var points = debtor?["contactPoints"]?.AsArray() ?? [];
            string? Status(string channel) => points.FirstOrDefault(p => p?["channel"]?.GetValue<string>() == channel)?["status"]?.GetValue<string>();
            if (entry.Value.Bounced && Status("email") == "disabled")
            {
                Interlocked.Increment(ref emailDisabled);
            }

            if (entry.Value.Invalid && Status("sms") == "disabled")
            {
                Interlocked.Increment(ref smsDisabled);
            }

            if (entry.Value.Stopped && Status("sms") == "opted_out")
            {
                Interlocked.Increment(ref optedOut);
            }
        });
        var values = Feedback.Values.ToList();
        return (values.Count(f => f.Bounced), emailDisabled, values.Count(f => f.Invalid), smsDisabled, values.Count(f => f.Stopped), optedOut);
    }

    public void Dispose()
    {
        _watch.Dispose();
        _concurrency.Dispose();
        _http.Dispose();
        _creditor.Dispose();
    }

    private void Answer(Message m)
    {
        if (!_portfolio.Types.TryGetValue(m.Debtor, out var type))
        {
            return;
        }

        if (m.Link is { } link)
        {
            _links[m.Debtor] = new Uri(link).AbsolutePath;
        }

        var nth = _count.GetValueOrDefault(m.Debtor);
        _count[m.Debtor] = nth + 1;
        Messages.Add(new Seen(m.Debtor, _variantOf(m.Debtor), m.Channel, m.At));
        var day = (int)Math.Floor((m.At - _dayZero).TotalDays);
        if (type.Unreachable)
        {
            // It moved: its address and number reach nobody, which the providers say (a returned letter has no way back in).
            if (m.Channel is "email" or "sms")
            {
                Start(() => ReportUndeliveredAsync(m));
            }

            Answers.AddOrUpdate(Simulation.Answer.Nothing, 1, (_, n) => n + 1);
            return;
        }

        if (m.Kind == "instalment_due")
        {
            // One notice by e-mail and one by SMS remind the same instalment: it is paid, or missed, once.
            if (m.InstalmentNumber is { } number && _instalments.Add((m.Debtor, number)))
            {
                var keeps = Population.KeepsInstalment(_portfolio.Seed, m.Debtor, number, type);
                Start(() => InstalmentAsync(m.Debtor, keeps ? m.InstalmentAmount : null, InstalmentDay(m.Debtor, number) ?? day));
            }

            return;
        }

        var answer = _done.Contains(m.Debtor) ? Simulation.Answer.Nothing
            : Population.AnswerTo(_portfolio.Seed, m.Debtor, nth, type, new Received(m.Kind, m.Channel, m.Stage == 0 ? nth + 1 : m.Stage));
        Answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
        if (answer == Simulation.Answer.Plan)
        {
            _planDays[m.Debtor] = day;
        }

        if (answer is Simulation.Answer.Pay or Simulation.Answer.Dispute or Simulation.Answer.Plan)
        {
            _done.Add(m.Debtor);
            Start(() => ActAsync(m.Debtor, answer, day));
        }
        else if (answer == Simulation.Answer.Stop)
        {
            Start(() => StopAsync(m));
        }
    }

    /// <summary>
    /// The day an instalment is counted on: its due date had the plan been agreed the day the debtor decided to ask
    /// (the first a week later, then monthly), which the seed and the schedule fix. The instant the engine agrees the
    /// plan, and so the dates it gives, move with the machine's load.
    /// </summary>
    private int? InstalmentDay(string debtor, int number)
    {
        if (!_planDays.TryGetValue(debtor, out var asked))
        {
            return null;
        }

        var first = DateOnly.FromDateTime(_dayZero.DateTime).AddDays(asked);
        return first.AddDays(7).AddMonths(number - 1).DayNumber - DateOnly.FromDateTime(_dayZero.DateTime).DayNumber;
    }

    private void Start(Func<Task> action) => _acting.Add(Throttled(action));

    private async Task Throttled(Func<Task> action)
    {
        await _concurrency.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private void Outcome(string what) => Outcomes.AddOrUpdate(what, 1, (_, n) => n + 1);

    private string DebtorKey(string debtor) => $"{_creditorId}/{debtor}";

    private async Task ReportUndeliveredAsync(Message m)
    {
        using var request = m.Channel == "email"
            ? _providers.Bounce(DebtorKey(m.Debtor), m.Id, m.Recipient, m.At)
            : _providers.InvalidNumber(_engine, DebtorKey(m.Debtor), m.Id, m.Recipient);
        using var response = await _http.SendAsync(request);
        var what = m.Channel == "email" ? "bounce" : "invalid_number";
        Outcome(response.IsSuccessStatusCode ? what : $"{what} {(int)response.StatusCode}");
        if (response.IsSuccessStatusCode)
        {
            Feedback.AddOrUpdate(m.Debtor, _ => (m.Channel == "email", m.Channel == "sms", false),
                (_, f) => (f.Bounced || m.Channel == "email", f.Invalid || m.Channel == "sms", f.Stopped));
        }
    }

    private async Task StopAsync(Message m)
    {
        using var request = _providers.Stop(_engine, m.Recipient);
        using var response = await _http.SendAsync(request);
        Outcome(response.IsSuccessStatusCode ? "stop" : $"stop {(int)response.StatusCode}");
        if (response.IsSuccessStatusCode)
        {
            Feedback.AddOrUpdate(m.Debtor, _ => (false, false, true), (_, f) => (f.Bounced, f.Invalid, true));
        }
    }

    /// <summary>An instalment paid by bank transfer, which the creditor records; or missed, and the plan will default.</summary>
    private async Task InstalmentAsync(string debtor, decimal? amount, int day)
    {
        if (amount is not { } paid)
        {
            Outcome("instalment_missed");
            return;
        }

        var (reference, _) = _portfolio.Cases[debtor];
        using var transfer = await _creditor.PostAsJsonAsync($"/api/v1/cases/{reference}/payments",
            new { amount = paid, reference = $"VIR-{reference}-{day}" });
        Outcome(transfer.IsSuccessStatusCode ? "instalment" : $"instalment {(int)transfer.StatusCode}");
        if (transfer.IsSuccessStatusCode)
        {
            Payments.Add((_variantOf(debtor), day, paid));
        }
    }

    private async Task ActAsync(string debtor, Answer answer, int day)
    {
        var (reference, amount) = _portfolio.Cases[debtor];
        if (!_links.TryGetValue(debtor, out var page))
        {
            // A letter, and no e-mail nor SMS before it: the debtor pays by transfer (disputes and plans by post are not simulated).
            if (answer == Simulation.Answer.Pay)
            {
                using var transfer = await _creditor.PostAsJsonAsync($"/api/v1/cases/{reference}/payments", new { amount, reference = $"VIR-{reference}" });
                Outcome(transfer.IsSuccessStatusCode ? "transfer" : $"transfer {(int)transfer.StatusCode}");
                if (transfer.IsSuccessStatusCode)
                {
                    Payments.Add((_variantOf(debtor), day, amount));
                }
            }

            return;
        }

        if (answer == Simulation.Answer.Dispute)
        {
            using var disputed = await _http.PostAsync(page + "/dispute", new FormUrlEncodedContent([new("case", reference), new("reason", "not_mine")]));
            Outcome(IsRedirect(disputed) ? "disputed" : $"dispute {(int)disputed.StatusCode}");
            return;
        }

        if (answer == Simulation.Answer.Plan)
        {
            // Three instalments when each is at least 15 EUR (the default automatic rule), else two, which may go to the creditor.
            var instalments = amount >= 45m ? 3 : 2;
            using var asked = await _http.PostAsync(page + "/plan", new FormUrlEncodedContent([new("case", reference), new("instalments", instalments.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
            var done = asked.Headers.Location?.OriginalString is { } location && location.Contains("done=", StringComparison.Ordinal)
                ? location[(location.IndexOf("done=", StringComparison.Ordinal) + 5)..].Split('&')[0] : null;
            Outcome(IsRedirect(asked) && done is "plan" or "plan_proposed" ? done! : $"plan {(int)asked.StatusCode} {done}");
            return;
        }

        using var pay = await _http.PostAsync(page + "/pay", new FormUrlEncodedContent([new("case", "all")]));
        if (IsRedirect(pay) && pay.Headers.Location is { } checkout && checkout.OriginalString.Contains("/sandbox/checkout/", StringComparison.Ordinal))
        {
            var path = checkout.IsAbsoluteUri ? checkout.AbsolutePath : checkout.OriginalString;
            using var paid = await _http.PostAsync(path + "/pay", new FormUrlEncodedContent([new("card", "4242 4242 4242 4242")]));
            Outcome(IsRedirect(paid) ? "paid" : $"checkout {(int)paid.StatusCode}");
            if (IsRedirect(paid))
            {
                Payments.Add((_variantOf(debtor), day, amount));
            }
        }
        else
        {
            // The page sends back to itself (a relative address) when there is nothing left to pay: a case already closed or escalated.
            var back = pay.Headers.Location?.OriginalString ?? string.Empty;
            Outcome(back.Contains("done=refused", StringComparison.Ordinal) ? "pay_refused" : $"pay {(int)pay.StatusCode} {back}");
        }
    }

    private static bool IsRedirect(HttpResponseMessage response) => response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found;

    /// <summary>What a debtor and a provider see of one message file: an e-mail or SMS in the outbox, or a letter's manifest.</summary>
    private sealed record Message(string Id, DateTimeOffset At, string Debtor, string Channel, string Kind, int Stage, string? Link, string Recipient, decimal? InstalmentAmount, int? InstalmentNumber)
    {
        public static Message Of(JsonNode file)
        {
            var isLetter = file["paymentLink"] is null;
            var cases = file["cases"]?.AsArray() ?? [];
            return new Message(
                file["messageId"]?.GetValue<string>() ?? string.Empty,
                file["createdAt"]!.GetValue<DateTimeOffset>(),
                file["debtorReference"]!.GetValue<string>(),
                isLetter ? "letter" : file["channel"]!.GetValue<string>(),
                file["kind"]!.GetValue<string>(),
                isLetter ? 0 : cases.Max(c => c!["stage"]!.GetValue<int>()),
                isLetter ? null : file["paymentLink"]!.GetValue<string>(),
                file["recipient"]?.GetValue<string>() ?? string.Empty,
                isLetter ? null : cases.Select(c => c?["instalment"]?["amount"]?.GetValue<decimal>()).FirstOrDefault(a => a is not null),
                isLetter ? null : cases.Select(c => c?["instalment"]?["number"]?.GetValue<int>()).FirstOrDefault(n => n is not null));
        }
    }
}
