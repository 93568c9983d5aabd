using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Recouvrement.LoadTests.Infrastructure;

namespace Recouvrement.LoadTests.Scenarios;

/// <summary>
/// The reports and the console's overview over a large read model. A portfolio of many cases is fed through the API
/// (as <c>read-side</c> feeds it), some of them paid through the API, and the projection is let to catch up (the
/// summary counts every case and payment); a year of earlier history is added to the counters (cells of past months'
/// payments, days to pay and cohorts, as a creditor a year in service has), then <c>GET /api/v1/reports/summary</c>
/// (this month, and a year), <c>GET /api/v1/reports/cohorts</c> and the console's overview (<c>/console</c>, signed
/// in) are called in turn at a fixed arrival rate. Open-loop: each latency counts from when the request was due.
/// </summary>
public static partial class ReportsScenario
{
    public sealed record Options(int Cases, int Paid, int Batch, int Concurrency, int Rate, int Seconds, int WarmUpSeconds, int HistoryMonths);

    private const string OperatorKey = "op-load-reports-0123456789abcdef0123456789";

    /// <summary>The creditor the demo key belongs to.</summary>
    private const string Creditor = "demo";

    public static async Task<Report> RunAsync(Options options, int baselineSeconds, string? json)
    {
        await using var engine = await Engine.StartAsync(new Dictionary<string, string>
        {
            ["Recouvrement__OperatorKey"] = OperatorKey,
            ["Recouvrement__Console__RequireHttps"] = "false",
        });
        using var http = engine.Client();
        var run = Guid.NewGuid().ToString("N")[..8];

        // The portfolio, due in two years: nothing steps while it is read.
        var due = IngestScenario.DueOn(730);
        var feeding = Stopwatch.StartNew();
        var (stored, errors, _, _) = await IngestScenario.FeedAsync(http, new IngestScenario.Options(options.Cases, options.Batch, options.Concurrency, Csv: false, Due: due), run);
        feeding.Stop();
        Console.WriteLine($"  {stored:N0} cases in {feeding.Elapsed.TotalSeconds:0} s");

        // Payments through the API: every case whose number ends the same way, in full, one request each.
        var step = Math.Max(1, options.Cases / Math.Max(1, options.Paid));
        var paying = Stopwatch.StartNew();
        long paid = 0, paymentErrors = 0;
        var progress = new Progress("payments");
        await Parallel.ForEachAsync(Enumerable.Range(0, Math.Min(options.Paid, options.Cases)), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency * 4 }, async (n, ct) =>
        {
            var i = n * step;
            var body = string.Create(CultureInfo.InvariantCulture, $$"""{"amount":{{15 + (i % 66)}}.50,"reference":"VIR-{{i}}"}""");
            using var response = await http.PostAsync($"/api/v1/cases/L{run}-{i}/payments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref paid : ref paymentErrors);
            progress.Show(() => $"{Interlocked.Read(ref paid):N0} paid, {Interlocked.Read(ref paymentErrors)} errors");
        });
        paying.Stop();
        progress.Done(() => $"{paid:N0} paid, {paymentErrors} errors");

        // The projection has caught up once the summary counts every case and every payment.
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            using var summary = JsonDocument.Parse(await http.GetStringAsync("/api/v1/reports/summary"));
            var portfolio = summary.RootElement.GetProperty("portfolio");
            if (portfolio.GetProperty("cases").GetInt64() >= stored && portfolio.GetProperty("paidCases").GetInt64() >= paid)
            {
                break;
            }

            if (waiting.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"the summary still counts {portfolio.GetProperty("cases")} cases and {portfolio.GetProperty("paidCases")} paid after 10 minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        waiting.Stop();
        Console.WriteLine($"  the counters caught up {waiting.Elapsed.TotalSeconds:0.0} s after the payments");
        var cells = await AddHistoryAsync(engine.ConnectionString, options.HistoryMonths);

        using var console = await SignInAsync(engine.Url, http);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var yearAgo = new DateOnly(today.Year, today.Month, 1).AddMonths(-11).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] kinds = ["summary (this month)", "summary (12 months)", "cohorts", "console overview"];
        string Query(int n) => (n % kinds.Length) switch
        {
            0 => "/api/v1/reports/summary",
            1 => $"/api/v1/reports/summary?from={yearAgo}",
            2 => "/api/v1/reports/cohorts?by=month",
            _ => "/console",
        };

        // The overview goes through the session's client; the API calls through the key's. Both reach the same silo.
        var router = new HttpClient(new Router(http, console)) { BaseAddress = engine.Url, Timeout = TimeSpan.FromMinutes(1) };
        if (options.WarmUpSeconds > 0)
        {
            var warm = await ReadSideScenario.ReadAsync(router, Query, kinds.Length, options.Rate, options.WarmUpSeconds, "warm-up");
            Console.WriteLine($"  warm-up: {warm.Sent:N0} requests, not counted");
        }

        var reads = await ReadSideScenario.ReadAsync(router, Query, kinds.Length, options.Rate, options.Seconds, "reports");

        var report = new Report("reports");
        report.Settings["cases"] = options.Cases.ToString(CultureInfo.InvariantCulture);
        report.Settings["portfolio"] = $"fed through POST /api/v1/cases/batch ({options.Batch} per request, {options.Concurrency} in flight), one case in {step} paid in full through POST /api/v1/cases/{{reference}}/payments";
        report.Settings["history"] = $"{options.HistoryMonths} earlier months of counter cells added ({cells:N0} cells in all): payments per day and channel, days to pay, cohorts";
        report.Settings["read_rate"] = $"{options.Rate} requests/s for {options.Seconds} s after a {options.WarmUpSeconds} s warm-up, the four requests in turn";
        report.Figures["cases_in_read_model"] = stored;
        report.Figures["payments"] = paid;
        report.Figures["counter_cells"] = cells;
        report.Figures["feed_cases_per_second"] = stored / feeding.Elapsed.TotalSeconds;
        report.Figures["payments_per_second"] = paid / paying.Elapsed.TotalSeconds;
        report.Figures["counters_caught_up_after_payments_ms"] = waiting.Elapsed.TotalMilliseconds;
        report.Figures["reports_p99_ms"] = Latency.From(reads.All).P99;
        report.Latencies["reports and overview (all)"] = Latency.From(reads.All);
        for (var k = 0; k < kinds.Length; k++)
        {
            report.Latencies["  " + kinds[k]] = Latency.From(reads.ByKind[k]);
        }

        report.Errors = errors + paymentErrors + reads.Errors;
        report.Notes.Add("target: overview and reports p99 <= 200 ms at 1,000,000 cases");
        await Baselines.AddAsync(report, engine.ConnectionString, baselineSeconds, options.Concurrency);
        return report;
    }

    /// <summary>
    /// Cells of the months before this one, as a creditor in service that long has them: each day's payments by four
    /// channels, 150 values of days to pay per month, a cohort per month with 92 days of recovery. Counted nowhere else
    /// (the portfolio's standing is the cases'); only the size of what a report reads grows.
    /// </summary>
    private static async Task<long> AddHistoryAsync(string connectionString, int months)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH service AS (SELECT service_id FROM recouvrement_case_summary LIMIT 1),
                 month AS (SELECT (date_trunc('month', now()) - make_interval(months => m))::date AS first FROM generate_series(1, @months) AS m)
            INSERT INTO recouvrement_report_counters (service_id, creditor_id, currency, figure, day, label, n, count, amount, paid, balance)
            SELECT s.service_id, @creditor, 'EUR', f.figure, f.day, f.label, f.n, f.count, f.amount, 0, 0
            FROM service s, (
                SELECT 'payments' AS figure, d::date AS day, c AS label, 0 AS n, 10::bigint AS count, 300.00 AS amount
                FROM month, generate_series(month.first, (month.first + interval '1 month' - interval '1 day')::date, interval '1 day') AS d,
                     unnest(ARRAY['email', 'sms', 'letter', 'none']) AS c
                UNION ALL
                SELECT 'days_to_pay', month.first, '', n, 5, 0 FROM month, generate_series(0, 149) AS n
                UNION ALL
                SELECT 'recovery', month.first, '', n, 3, 90.00 FROM month, generate_series(0, 91) AS n
                UNION ALL
                SELECT 'intake', month.first, '', 0, 80000, 3600000.00 FROM month) AS f
            ON CONFLICT DO NOTHING
            """, connection);
        command.Parameters.AddWithValue("months", months);
        command.Parameters.AddWithValue("creditor", Creditor);
        await command.ExecuteNonQueryAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM recouvrement_report_counters WHERE creditor_id = @creditor", connection);
        count.Parameters.AddWithValue("creditor", Creditor);
        var cells = (long)(await count.ExecuteScalarAsync())!;
        await using var analyze = new NpgsqlCommand("ANALYZE recouvrement_report_counters", connection);
        await analyze.ExecuteNonQueryAsync();
        return cells;
    }

    /// <summary>A console user of the creditor, invited by the operator, with a password set and signed in: a client that keeps the session's cookies.</summary>
    private static async Task<HttpClient> SignInAsync(Uri url, HttpClient api)
    {
        using var operatorClient = new HttpClient { BaseAddress = url };
        operatorClient.DefaultRequestHeaders.Authorization = new("Bearer", OperatorKey);
        var email = $"load-{Guid.NewGuid():N}@example.org";
        using var invited = await operatorClient.PostAsync($"/api/v1/admin/creditors/{Creditor}/users",
            new StringContent($$"""{"email":"{{email}}","role":"viewer"}""", System.Text.Encoding.UTF8, "application/json"));
        invited.EnsureSuccessStatusCode();
        using var invitation = JsonDocument.Parse(await invited.Content.ReadAsStringAsync());
        var path = new Uri(invitation.RootElement.GetProperty("invitationUrl").GetString()!).PathAndQuery;

        var cookies = new CookieContainer();
        var console = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = 256 }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(1) };
        const string password = "load test password 1";
        await PostForm(console, path, path, ("password", password), ("confirm", password));
        await PostForm(console, "/console/signin", "/console/signin", ("email", email), ("password", password));
        using var overview = await console.GetAsync("/console");
        if (overview.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the console's overview answered {(int)overview.StatusCode} after sign-in");
        }

        return console;
    }

    private static async Task PostForm(HttpClient client, string page, string action, params (string Name, string Value)[] fields)
    {
        var html = await client.GetStringAsync(page);
        var token = AntiforgeryToken().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{page} has no anti-forgery field");
        }

        using var response = await client.PostAsync(action, new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), KeyValuePair.Create("__rc_af", WebUtility.HtmlDecode(token.Groups[1].Value))]));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"POST {action} answered {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("name=\"__rc_af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>Sends a console path through the signed-in client, anything else through the API key's.</summary>
    private sealed class Router(HttpClient api, HttpClient console) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery;
            var target = path.StartsWith("/console", StringComparison.Ordinal) ? console : api;
            return target.GetAsync(path, cancellationToken);
        }
    }
}
