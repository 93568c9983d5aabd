using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Recouvrement.LoadTests.Infrastructure;

/// <summary>
/// What a scenario runs against: a throwaway PostgreSQL started with <c>scripts/postgres.sh</c> and one silo
/// process from <c>silo/bin/Release</c> (built when missing), both removed at the end. The silo can be restarted,
/// and its resident memory read.
/// </summary>
public sealed class Engine : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _dataDir;
    private readonly Dictionary<string, string> _environment;
    private Process? _silo;
    private string _pgDir = string.Empty;

    private Engine(string root, string dataDir, string connectionString, string key, Dictionary<string, string> environment)
    {
        _root = root;
        _dataDir = dataDir;
        ConnectionString = connectionString;
        Key = key;
        _environment = environment;
    }

    /// <summary>
    /// The runtime settings the silo's Dockerfile and Kubernetes manifest set, which only the environment can: a gen0
    /// budget of 512 MB per GC heap, and call counting for tiered compilation from the first call
    /// (docs/operations.md).
    /// </summary>
    private static readonly (string Variable, string Value)[] SiloRuntime =
    [
        ("DOTNET_GCgen0size", "0x20000000"),
        ("DOTNET_TC_CallCountingDelayMs", "0"),
    ];

    public string ConnectionString { get; }

    public string Key { get; }

    public Uri Url { get; private set; } = null!;

    public int SiloPid => _silo?.Id ?? 0;

    public string Outbox => Path.Combine(_dataDir, "outbox");

    /// <summary>The silo's output (removed with the engine: copy it to keep it).</summary>
    public string SiloLog => Path.Combine(_dataDir, "silo.log");

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recouvrement.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the load tests from inside the repository");
    }

    public static async Task<Engine> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = RepositoryRoot();
        var silo = Path.Combine(root, "silo", "bin", "Release", "net10.0", "Recouvrement.Silo.dll");
        if (!File.Exists(silo))
        {
            await Run("dotnet", ["build", Path.Combine(root, "silo"), "-c", "Release", "--nologo", "-v", "quiet"], root);
        }

        var dataDir = Directory.CreateTempSubdirectory("recouvrement-load-").FullName;
        var port = FreePort();
        // PostgreSQL runs as its own user, so its folder sits outside this process's private temporary folder.
        var pgDir = Path.Combine(Path.GetTempPath(), "recouvrement-loadpg-" + Guid.NewGuid().ToString("N")[..8]);
        var connectionString = (await Run("bash", [Path.Combine(root, "scripts", "postgres.sh"), "start", pgDir, port.ToString(CultureInfo.InvariantCulture)], root)).Trim();
        var key = "rk_load_" + Guid.NewGuid().ToString("N");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Recouvrement"] = connectionString + ";Maximum Pool Size=64",
            ["Recouvrement__Demo__ApiKey"] = key,
            ["Recouvrement__Outbox__Path"] = Path.Combine(dataDir, "outbox"),
            // Providers are the local fakes or the outbox, and checkout the sandbox, on purpose.
            ["Recouvrement__Channels__Outbox"] = "true",
            ["Recouvrement__Payments__Sandbox"] = "true",
            ["Recouvrement__PaymentLinks__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Recouvrement__Channels__Letters__Path"] = Path.Combine(dataDir, "outbox", "letters"),
            ["Recouvrement__Cluster__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Recouvrement__Cluster__GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (variable, value) in SiloRuntime)
        {
            // The silo runs as the deployment files run it (docs/operations.md); a value in this process's
            // environment, which the silo inherits, wins.
            if (Environment.GetEnvironmentVariable(variable) is null)
            {
                environment[variable] = value;
            }
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            environment[k] = v;
        }

        var engine = new Engine(root, dataDir, connectionString, key, environment) { _pgDir = pgDir };
        await engine.StartSiloAsync();
        return engine;
    }

    /// <summary>Starts the silo and returns how long it took to answer HTTP.</summary>
    public async Task<TimeSpan> StartSiloAsync()
    {
        var httpPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(_root, "silo", "bin", "Release", "net10.0", "Recouvrement.Silo.dll"), $"--urls=http://127.0.0.1:{httpPort}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dataDir,
        };
        foreach (var (k, v) in _environment)
        {
            start.Environment[k] = v;
        }

        var watch = Stopwatch.StartNew();
        _silo = Process.Start(start)!;
        var log = Path.Combine(_dataDir, "silo.log");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        _silo.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        _silo.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        _silo.BeginOutputReadLine();
        _silo.BeginErrorReadLine();
        Url = new Uri($"http://127.0.0.1:{httpPort}");
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        while (watch.Elapsed < TimeSpan.FromMinutes(10))
        {
            if (_silo.HasExited)
            {
                throw new InvalidOperationException($"the silo exited; see {log}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return watch.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not up yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the silo did not become ready; see {log}");
    }

    /// <summary>Stops the silo gracefully (SIGTERM) and waits for it.</summary>
    public async Task StopSiloAsync()
    {
        if (_silo is { HasExited: false } silo)
        {
            await Run("kill", ["-TERM", silo.Id.ToString(CultureInfo.InvariantCulture)], _root);
            await silo.WaitForExitAsync();
        }
    }

    /// <summary>The silo's resident memory, from /proc.</summary>
    public long SiloResidentBytes()
    {
        var status = File.ReadAllLines($"/proc/{SiloPid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        return http;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> Run(string file, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is { HasExited: false } silo)
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
        }

        try
        {
            await Run("bash", [Path.Combine(_root, "scripts", "postgres.sh"), "stop", _pgDir], _root);
        }
        finally
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
