using System.Diagnostics;

namespace Recouvrement.Tests.Support;

/// <summary>
/// A PostgreSQL server of a test's own (scripts/postgres.sh in a temporary folder), for a test that stops and starts
/// the database under a running engine, which the server shared by the other tests must never see.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly int _port;

    private PostgresServer(string folder, int port, string connectionString)
    {
        _folder = folder;
        _port = port;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "recouvrement-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePort.Next();
        var connectionString = (await Script("start", folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim();
        return new PostgresServer(folder, port, connectionString);
    }

    /// <summary>Stops the server, keeping its data: the engine finds its database gone.</summary>
    public Task HaltAsync() => Script("halt", _folder);

    /// <summary>Starts the halted server again on the same port, with its data.</summary>
    public Task ResumeAsync() => Script("start", _folder, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync() => await Script("stop", _folder);

    private static async Task<string> Script(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", "postgres.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {string.Join(' ', arguments)} failed: {await error}");
        }

        return await output;
    }

    /// <summary>The checkout the tests were built from: the first parent folder holding scripts/postgres.sh.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "scripts", "postgres.sh")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("scripts/postgres.sh not found above " + AppContext.BaseDirectory);
    }
}
