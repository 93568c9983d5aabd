using System.CommandLine;
using Recouvrement.LoadTests.Infrastructure;
using Recouvrement.LoadTests.Scenarios;
using Recouvrement.LoadTests.Simulation;

// dotnet run --project loadtests -c Release -- <scenario> [options]
// Each scenario starts its own throwaway PostgreSQL and silo, prints its figures beside the baselines measured in
// the same run, and writes them as JSON (loadtests/results/ by default).
var baselineSeconds = new Option<int>("--baseline-seconds") { Description = "how long each baseline runs", DefaultValueFactory = _ => 10, Recursive = true };
var json = new Option<string?>("--json") { Description = "where to write the JSON report (default: loadtests/results/<scenario>-<time>.json)", Recursive = true };
Option<int> Int(string name, int value, string description) => new(name) { Description = description, DefaultValueFactory = _ => value };

var root = new RootCommand("Recouvrement load tests: throughput and latency beside baselines from the same run");
root.Options.Add(baselineSeconds);
root.Options.Add(json);

var cases = Int("--cases", 20_000, "cases to feed");
var batch = Int("--batch", 1_000, "cases per request");
var concurrency = Int("--concurrency", 4, "requests in flight");
var probeMs = Int("--probe-ms", 200, "period of the projection-lag probe: a marker case paid every so many milliseconds during the feed");
var ingest = new Command("ingest", "creditors bulk-feeding cases over HTTP (JSON batches and CSV files) into PostgreSQL, beside the same feed with the event relay off") { cases, batch, concurrency, probeMs };
var jsonOnly = new Option<bool>("--json-only") { Description = "JSON batches only, no CSV files" };
ingest.Options.Add(jsonOnly);
ingest.SetAction((result, _) => Finish(IngestScenario.RunAsync(
    new IngestScenario.Options(result.GetValue(cases), result.GetValue(batch), result.GetValue(concurrency), Csv: !result.GetValue(jsonOnly), ProbePeriod: TimeSpan.FromMilliseconds(result.GetValue(probeMs))),
    result.GetValue(baselineSeconds), result.GetValue(json)), result.GetValue(json)));

var burstCases = Int("--cases", 20_000, "cases falling due at once");
var burstBatch = Int("--batch", 1_000, "cases per request while feeding");
var burstConcurrency = Int("--concurrency", 4, "requests in flight while feeding");
var speed = new Option<double>("--speed") { Description = "engine clock speed (the feed must end before the cases step)", DefaultValueFactory = _ => 600 };
var burstWarmUp = Int("--warmup-cases", 2_000, "other cases sent the evening before, not counted, so that the silo has dispatched before (0: none)");
var burstRefresh = new Option<TimeSpan?>("--reminder-refresh")
{
    Description = "the silo's reminder table refresh, in engine time (Recouvrement:Reminders:RefreshPeriod): a burst then meets as many refreshes as in service, where Orleans rereads every 5 real minutes; 0 leaves the silo's default (5 engine minutes, 1.5 real seconds at speed 200)",
    DefaultValueFactory = _ => TimeSpan.FromHours(1),
};
var burstWebhooks = new Option<bool>("--webhooks") { Description = "subscribe a local receiver to every event and measure the events' fan-out during the burst" };
var burst = new Command("due-burst", "a backlog of cases whose messages fall due when the send window opens, through fake providers") { burstCases, burstBatch, burstConcurrency, speed, burstWarmUp, burstRefresh, burstWebhooks };
burst.SetAction((result, _) => Finish(DueBurstScenario.RunAsync(
    new DueBurstScenario.Options(result.GetValue(burstCases), result.GetValue(burstBatch), result.GetValue(burstConcurrency), result.GetValue(speed), result.GetValue(burstWarmUp), result.GetValue(burstRefresh) is { } refresh && refresh > TimeSpan.Zero ? refresh : null, result.GetValue(burstWebhooks)),
    result.GetValue(baselineSeconds), result.GetValue(json)), result.GetValue(json)));

var seeded = Int("--seeded", 5_000, "cases stored before the reads begin");
var rate = Int("--rate", 1_000, "reads per second");
var seconds = Int("--seconds", 30, "how long the reads run");
var ingestConcurrency = Int("--ingest-concurrency", 2, "ingest requests in flight during the reads");
var mixBatch = Int("--batch", 500, "cases per ingest request");
var ingestRate = Int("--ingest-rate", 0, "cases/s fed during the reads, paced (0: as fast as --ingest-concurrency allows)");
var warmUp = Int("--warmup", 10, "seconds of the same reads and ingest on other cases before the measured seconds (0: none)");
var mix = new Command("query-mix", "reads of cases and debtors at a fixed rate while ingest runs") { seeded, rate, seconds, ingestConcurrency, mixBatch, ingestRate, warmUp };
mix.SetAction((result, _) => Finish(QueryMixScenario.RunAsync(
    new QueryMixScenario.Options(result.GetValue(seeded), result.GetValue(rate), result.GetValue(seconds), result.GetValue(ingestConcurrency), result.GetValue(mixBatch), result.GetValue(ingestRate), result.GetValue(warmUp)),
    result.GetValue(baselineSeconds), result.GetValue(json)), result.GetValue(json)));

var scaleCases = Int("--cases", 1_000_000, "open, idle cases");
var scaleBatch = Int("--batch", 1_000, "cases per request");
var scaleConcurrency = Int("--concurrency", 4, "requests in flight");
var scale = new Command("scale", "many open idle cases in one silo: memory per case, start-up time, reminder table reads") { scaleCases, scaleBatch, scaleConcurrency };
scale.SetAction((result, _) => Finish(ScaleScenario.RunAsync(
    new ScaleScenario.Options(result.GetValue(scaleCases), result.GetValue(scaleBatch), result.GetValue(scaleConcurrency)),
    result.GetValue(baselineSeconds), result.GetValue(json)), result.GetValue(json)));

var readCases = Int("--cases", 1_000_000, "cases in the read model");
var readBatch = Int("--batch", 1_000, "cases per request while feeding");
var readConcurrency = Int("--concurrency", 4, "requests in flight while feeding");
var readRate = Int("--rate", 200, "list requests per second");
var readSeconds = Int("--seconds", 30, "how long the lists run");
var readWarmUp = Int("--warmup", 5, "seconds of the same lists before the measured seconds (0: none)");
var readSide = new Command("read-side", "the case list and the export over a large read model") { readCases, readBatch, readConcurrency, readRate, readSeconds, readWarmUp };
readSide.SetAction((result, _) => Finish(ReadSideScenario.RunAsync(
    new ReadSideScenario.Options(result.GetValue(readCases), result.GetValue(readBatch), result.GetValue(readConcurrency), result.GetValue(readRate), result.GetValue(readSeconds), result.GetValue(readWarmUp)),
    result.GetValue(baselineSeconds), result.GetValue(json)), result.GetValue(json)));

var reportCases = Int("--cases", 1_000_000, "cases in the read model");
var reportPaid = Int("--paid", 20_000, "cases paid in full through the API before the reads");
var reportBatch = Int("--batch", 1_000, "cases per request while feeding");
var reportConcurrency = Int("--concurrency", 4, "requests in flight while feeding");
var reportRate = Int("--rate", 40, "report and overview requests per second");
var reportSeconds = Int("--seconds", 30, "how long the reads run");
var reportWarmUp = Int("--warmup", 5, "seconds of the same reads before the measured seconds (0: none)");
var reportHistory = Int("--history-months", 12, "earlier months of counter cells added before the reads");
var reports = new Command("reports", "the summary and cohorts reports and the console's overview over a large read model") { reportCases, reportPaid, reportBatch, reportConcurrency, reportRate, reportSeconds, reportWarmUp, reportHistory };
reports.SetAction((result, _) => Finish(ReportsScenario.RunAsync(
    new ReportsScenario.Options(result.GetValue(reportCases), result.GetValue(reportPaid), result.GetValue(reportBatch), result.GetValue(reportConcurrency), result.GetValue(reportRate), result.GetValue(reportSeconds), result.GetValue(reportWarmUp), result.GetValue(reportHistory)),
    result.GetValue(baselineSeconds), result.GetValue(json)), result.GetValue(json)));

var simDebtors = Int("--debtors", 10_000, "synthetic debtors, one case each");
var simDays = Int("--days", 60, "engine days simulated after the cases fall due");
var simPolicies = new Option<string[]>("--policy") { Description = "a policy file (steps, escalationThreshold) per variant, named after the file; the first is the champion", Required = true, AllowMultipleArgumentsPerToken = false };
var simSeed = Int("--seed", 1, "the seed of the population and of its answers: the same seed gives the same figures");
var simSpeed = new Option<double>("--speed") { Description = "engine seconds per real second (default 43,200: a day in 2 s)", DefaultValueFactory = _ => 43_200 };
var simPopulation = new Option<string?>("--population") { Description = "the population file (default: loadtests/simulation/population.json, built into the silo)" };
var simOutput = new Option<string?>("--output") { Description = "the folder for simulation.json and one <variant>.svg each (default: loadtests/results/simulate-<time>/)" };
var simulate = new Command("simulate", "rehearse policies as variants on a synthetic population with the real engine on a scaled clock") { simDebtors, simDays, simPolicies, simSeed, simSpeed, simPopulation, simOutput };
simulate.SetAction(async (result, _) =>
{
    var outcome = await SimulationOutput.RunAsync(new SimulateScenario.Options(
        result.GetValue(simDebtors), result.GetValue(simDays), result.GetValue(simPolicies)!, result.GetValue(simSeed), result.GetValue(simSpeed),
        result.GetValue(simPopulation), result.GetValue(simOutput), result.GetValue(baselineSeconds)));
    return outcome;
});

root.Subcommands.Add(simulate);
root.Subcommands.Add(ingest);
root.Subcommands.Add(burst);
root.Subcommands.Add(mix);
root.Subcommands.Add(scale);
root.Subcommands.Add(readSide);
root.Subcommands.Add(reports);
return await root.Parse(args).InvokeAsync();

static async Task<int> Finish(Task<Report> running, string? path)
{
    var report = await running;
    Console.WriteLine(report.Text());
    Console.WriteLine($"  json      {await report.WriteAsync(path)}");
    return report.Errors == 0 ? 0 : 1;
}
