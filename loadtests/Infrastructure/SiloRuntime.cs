using System.Globalization;

namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>
/// The silo's own .NET runtime counters, read from its Prometheus <c>/metrics</c> endpoint: what a phase of a
/// scenario cost the silo in CPU, allocations and garbage collection, figures that drift far less than wall time on
/// a shared machine.
/// </summary>
public sealed record SiloRuntime(double CpuSeconds, double AllocatedBytes, double GcPauseSeconds, double Collections, double Gen1Collections, double Gen2Collections, double HeapBytes)
{
    public static async Task<SiloRuntime> ReadAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        double Sum(string name, string? label = null) => text.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' '))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return new SiloRuntime(
            Sum("dotnet_process_cpu_time_seconds_total"),
            Sum("dotnet_gc_heap_total_allocated_bytes_total"),
            Sum("dotnet_gc_pause_time_seconds_total"),
            Sum("dotnet_gc_collections_total"),
            Sum("dotnet_gc_collections_total", "\"gen1\""),
            Sum("dotnet_gc_collections_total", "\"gen2\""),
            Sum("dotnet_gc_last_collection_heap_size_bytes"));
    }

    /// <summary>Adds the cost of the phase between <paramref name="before"/> and this reading, per unit of work.</summary>
    public void AddTo(Report report, SiloRuntime before, double units, string unit)
    {
        report.Figures[$"silo_cpu_ms_per_{unit}"] = (CpuSeconds - before.CpuSeconds) * 1000 / units;
        report.Figures[$"silo_allocated_kb_per_{unit}"] = (AllocatedBytes - before.AllocatedBytes) / 1024 / units;
        report.Figures["silo_gc_pause_seconds"] = GcPauseSeconds - before.GcPauseSeconds;
        report.Figures["silo_gc_collections"] = Collections - before.Collections;
        report.Figures["silo_gc_collections_gen1"] = Gen1Collections - before.Gen1Collections;
        report.Figures["silo_gc_collections_gen2"] = Gen2Collections - before.Gen2Collections;
        report.Figures["silo_heap_mb_after"] = HeapBytes / (1024 * 1024);
    }
}
