using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Npgsql;
using Recouvrement.Cases;
using Recouvrement.Hosting;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// Counts the cases of the whole cluster by status, from the <c>census_label</c> column that the storage writes beside
/// every case's state (<see cref="ICensusState"/>), and publishes the last count as the gauge <c>recouvrement.cases</c>
/// with a <c>status</c> tag. Being read from the table, the count survives restarts and silos dying, and bulk intake
/// is counted like any other write. Every silo publishes the same cluster-wide figure: aggregate it across silos with
/// max, not sum. One indexed aggregate per period (default a minute).
/// </summary>
public sealed partial class CaseCensus : BackgroundService
{
    public const string InstrumentName = "recouvrement.cases";

    private static readonly FrozenSet<string> Statuses = Enum.GetValues<CaseStatus>().Select(CaseDecisions.Wire).ToFrozenSet(StringComparer.Ordinal);

    private readonly NpgsqlDataSource dataSource;
    private readonly string serviceId;
    private readonly TimeSpan period;
    private readonly ILogger<CaseCensus> logger;
    private readonly Meter meter;
    private volatile IReadOnlyDictionary<string, long>? last;

    public CaseCensus(NpgsqlDataSource dataSource, string serviceId, CensusOptions options, IMeterFactory meters, ILogger<CaseCensus> logger)
    {
        this.dataSource = dataSource;
        this.serviceId = serviceId;
        period = TimeSpan.FromSeconds(Math.Max(1, options.CensusSeconds));
        this.logger = logger;
        meter = meters.Create(EngineMetrics.MeterName);
        meter.CreateObservableGauge(InstrumentName, Observe, "{case}", "Cases of the whole cluster by status, counted in storage (the same on every silo)");
    }

    /// <summary>The last count, every status included; nothing before the first count.</summary>
    private IEnumerable<Measurement<long>> Observe()
    {
        if (last is not { } counts)
        {
            yield break;
        }

        foreach (var status in Statuses)
        {
            yield return new Measurement<long>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("status", status));
        }
    }

    /// <summary>Counts now: the cases of this service by the status stored with their state.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT census_label, count(*) FROM orleans_grain_state
            WHERE service_id = @service_id AND grain_type = 'case' AND census_label IS NOT NULL
            GROUP BY census_label
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("service_id", serviceId));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                last = await CountAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The gauge keeps the last count; the next period tries again.
                LogCountFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the cases by status failed; the gauge keeps its last count")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
