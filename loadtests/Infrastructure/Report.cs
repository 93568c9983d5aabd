using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record Latency(double P50, double P90, double P99, double P999, double Max, long Count)
{
    /// <summary>Reads a histogram recorded in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public static Latency From(HistogramBase histogram)
    {
        var perMs = System.Diagnostics.Stopwatch.Frequency / 1000.0;
        double At(double p) => histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(p) / perMs;
        return new Latency(At(50), At(90), At(99), At(99.9), histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / perMs, histogram.TotalCount);
    }

    public static LongHistogram NewHistogram() => new(TimeStamp.Minutes(10), 3);
}

/// <summary>
/// What a scenario measured, next to the baselines measured in the same run, with each figure's ratio to its
/// baseline. Printed as text and written as JSON.
/// </summary>
public sealed class Report(string scenario)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Scenario { get; } = scenario;

    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;

    public string Machine { get; } = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>The scenario's figures, unit in the name (e.g. <c>cases_per_second</c>).</summary>
    public Dictionary<string, double> Figures { get; } = [];

    public Dictionary<string, Latency> Latencies { get; } = [];

    public long Errors { get; set; }

    public Dictionary<string, double> Baselines { get; } = [];

    /// <summary>figure ÷ baseline, named <c>{figure}/{baseline}</c>.</summary>
    public Dictionary<string, double> Ratios { get; } = [];

    public List<string> Notes { get; } = [];

    public void Ratio(string figure, string baseline)
    {
        if (Figures.TryGetValue(figure, out var f) && Baselines.TryGetValue(baseline, out var b) && b > 0)
        {
            Ratios[$"{figure}/{baseline}"] = f / b;
        }
    }

    public string Text()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"scenario {Scenario} at {At:u} on {Machine}");
        foreach (var (k, v) in Settings)
        {
            text.AppendLine(c, $"  setting   {k} = {v}");
        }

        foreach (var (k, v) in Figures)
        {
            text.AppendLine(c, $"  figure    {k,-38} {v,14:#,0.###}");
        }

        foreach (var (k, l) in Latencies)
        {
            text.AppendLine(c, $"  latency   {k,-38} p50 {l.P50:0.0} p90 {l.P90:0.0} p99 {l.P99:0.0} p99.9 {l.P999:0.0} max {l.Max:0.0} ms ({l.Count} samples)");
        }

        text.AppendLine(c, $"  errors    {Errors}");
        foreach (var (k, v) in Baselines)
        {
            text.AppendLine(c, $"  baseline  {k,-38} {v,14:#,0.###}");
        }

        foreach (var (k, v) in Ratios)
        {
            text.AppendLine(c, $"  ratio     {k,-38} {v,14:0.000}");
        }

        foreach (var note in Notes)
        {
            text.AppendLine(c, $"  note      {note}");
        }

        return text.ToString();
    }

    public async Task<string> WriteAsync(string? path)
    {
        path ??= Path.Combine("loadtests", "results", $"{Scenario}-{At:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json));
        return path;
    }
}

/// <summary>A live progress line, rewritten in place at most four times a second.</summary>
public sealed class Progress(string label)
{
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
    private long _lastTicks;

    /// <summary>On a terminal the line is rewritten in place; into a file, a line every five seconds.</summary>
    private static readonly bool Redirected = Console.IsOutputRedirected;

    public void Show(Func<string> status, bool force = false)
    {
        var now = _watch.ElapsedMilliseconds;
        if (!force && now - Interlocked.Read(ref _lastTicks) < (Redirected ? 5000 : 250))
        {
            return;
        }

        Interlocked.Exchange(ref _lastTicks, now);
        var line = string.Create(CultureInfo.InvariantCulture, $"  {label}: {status()} [{_watch.Elapsed.TotalSeconds:0.0} s]");
        if (Redirected)
        {
            Console.WriteLine(line);
        }
        else
        {
            Console.Write("\r" + line + "      ");
        }
    }

    public void Done(Func<string> status)
    {
        Show(status, force: true);
        if (!Redirected)
        {
            Console.WriteLine();
        }
    }
}
