using System.Diagnostics;

namespace Recouvrement.Tests.Support;

/// <summary>The silo as its own operating-system process, so a test can kill it with no warning and start it again.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>A payment-link signing key for the processes of one test: they must all share it.</summary>
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS1mb3ItcmVjb3V2cmVtZW50LXByb2Nlc3Nlcw==";

    /// <summary>
    /// What every silo process of a test is given: the database, the demo creditor's key, an outbox folder, a clock
    /// running <paramref name="speed"/> times real time from <paramref name="start"/> (at <paramref name="anchor"/>,
    /// now by default), warnings only in the log; and, on purpose, the outbox folder and the sandbox checkout instead
    /// of real providers, with a shared payment-link signing key.
    /// </summary>
    public static Dictionary<string, string> Environment(string connectionString, string apiKey, string outbox, int speed, string start, DateTimeOffset? anchor = null) => new()
    {
        ["ConnectionStrings__Recouvrement"] = connectionString,
        ["Recouvrement__Channels__Outbox"] = "true",
        ["Recouvrement__Payments__Sandbox"] = "true",
        ["Recouvrement__PaymentLinks__SigningKey"] = SigningKey,
        ["Recouvrement__Demo__ApiKey"] = apiKey,
        ["Recouvrement__Outbox__Path"] = outbox,
        ["Recouvrement__Clock__Speed"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Recouvrement__Clock__Start"] = start,
        ["Recouvrement__Clock__Anchor"] = (anchor ?? DateTimeOffset.UtcNow).ToString("O"),
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>A copy of <paramref name="environment"/> with free ports of its own for one silo's cluster endpoints.</summary>
    public static Dictionary<string, string> WithClusterPorts(IReadOnlyDictionary<string, string> environment) => new(environment)
    {
        ["Recouvrement__Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Recouvrement__Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts the silo, or with <paramref name="assembly"/> <c>Recouvrement.ClientApi.dll</c> the API process alone.</summary>
    public static async Task<SiloProcess> StartAsync(int httpPort, IReadOnlyDictionary<string, string> environment, string logFile, string assembly = "Recouvrement.Silo.dll")
    {
        var started = Launch(httpPort, environment, logFile, assembly);
        using var http = new HttpClient { BaseAddress = started.Address };
        await Eventually.Get(async () =>
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {started._process.ExitCode}; see {logFile}");
            }

            try
            {
                return (await http.GetAsync("/openapi/v1.json")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ready => ready, TimeSpan.FromSeconds(90), $"the silo to answer HTTP on port {httpPort} (log: {logFile})");
        return started;
    }

    /// <summary>Starts the process and returns at once, without waiting for it to answer (for one that must not get ready).</summary>
    public static SiloProcess Launch(int httpPort, IReadOnlyDictionary<string, string> environment, string logFile, string assembly = "Recouvrement.Silo.dll")
    {
        var silo = Path.Combine(AppContext.BaseDirectory, assembly);
        var start = new ProcessStartInfo("dotnet", [silo, $"--urls=http://127.0.0.1:{httpPort}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, new Uri($"http://127.0.0.1:{httpPort}"));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, as an orchestrator stops a pod: the silo drains and exits; returns its exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan deadline)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown, no flush, nothing graceful.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
