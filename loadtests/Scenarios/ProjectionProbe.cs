using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// The read model's lag as a creditor sees it. Marker cases, due in 2031 so that nothing else happens to them, are
/// paid one at a time at a fixed period while a scenario runs; a probe's lag is the time from the payment's
/// acknowledgement (its events are then stored, in the same transaction as the case) until <c>GET /api/v1/cases</c>
/// lists the case as paid, polled every 20 ms. The events take the whole way: the log, the relay, the event stream,
/// the projection, the read model's table.
/// </summary>
public sealed class ProjectionProbe
{
    /// <summary>A probe not visible after this is given up and counted as lost.</summary>
    public static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly HttpClient _http;
    private readonly string _run;
    private readonly int _markers;
    private readonly LongHistogram _lag = Latency.NewHistogram();
    private readonly List<string> _lostReferences = [];
    private int _next;
    private long _lost;
    private long _failed;

    private ProjectionProbe(HttpClient http, string run, int markers)
    {
        _http = http;
        _run = run;
        _markers = markers;
    }

    /// <summary>Probes given up after <see cref="GiveUp"/>: an event lost, or a lag past any target.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>The marker cases of the probes given up.</summary>
    public IReadOnlyList<string> LostReferences
    {
        get
        {
            lock (_lostReferences)
            {
                return [.. _lostReferences];
            }
        }
    }

    /// <summary>Payments the API did not acknowledge.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Creates the marker cases (one request, one debtor each), before anything is measured.</summary>
    public static async Task<ProjectionProbe> PrepareAsync(HttpClient http, string run, int markers)
    {
        var items = Enumerable.Range(1, markers).Select(i => string.Create(CultureInfo.InvariantCulture, $$$"""
            {"reference":"M{{{run}}}-{{{i}}}","amount":20.00,"currency":"EUR","issuedOn":"2026-01-12","dueOn":"2031-01-10",
             "debtor":{"reference":"MD{{{run}}}-{{{i}}}","kind":"consumer","name":"Marker {{{i}}}","email":"m{{{i}}}@example.org"}}
            """));
        using var response = await http.PostAsync("/api/v1/cases/batch", new StringContent("[" + string.Join(',', items) + "]", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return new ProjectionProbe(http, run, markers);
    }

    /// <summary>Starts a probe every <paramref name="period"/> until <paramref name="stop"/>, then waits for those started.</summary>
    public async Task<Latency> RunAsync(TimeSpan period, CancellationToken stop)
    {
        var probes = new List<Task>();
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                probes.Add(ProbeAsync());
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The scenario is over: the probes started so far still count.
        }

        await Task.WhenAll(probes);
        return Latency.From(_lag);
    }

    /// <summary>One probe on its own, its lag returned (zero when it failed or was given up).</summary>
    public async Task<TimeSpan> OnceAsync() => await ProbeAsync() is { } lag ? Stopwatch.GetElapsedTime(0, lag) : TimeSpan.Zero;

    private async Task<long?> ProbeAsync()
    {
        var i = Interlocked.Increment(ref _next);
        if (i > _markers)
        {
            return null;
        }

        var body = $$"""{"amount":20.00,"reference":"VIR-M{{_run}}-{{i}}"}""";
        using (var paid = await _http.PostAsync($"/api/v1/cases/M{_run}-{i}/payments", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            if (!paid.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failed);
                return null;
            }
        }

        var acknowledged = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(acknowledged) < GiveUp)
        {
            using var listed = JsonDocument.Parse(await _http.GetStringAsync($"/api/v1/cases?debtor=MD{_run}-{i}"));
            if (listed.RootElement.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("status").GetString() == "paid"))
            {
                var lag = Stopwatch.GetTimestamp() - acknowledged;
                lock (_lag)
                {
                    _lag.RecordValue(lag);
                }

                return lag;
            }

            await Task.Delay(Poll);
        }

        Interlocked.Increment(ref _lost);
        lock (_lostReferences)
        {
            _lostReferences.Add($"M{_run}-{i}");
        }

        return null;
    }
}
