using System.Collections.Concurrent;
using System.IO.Enumeration;

namespace Recouvrement.Silo.Simulation;

/// <summary>
/// The message files the engine writes (e-mails and SMS in the outbox folder, letter manifests under the letters
/// folder) as they arrive. The file system's change notifications name each new file, so taking what is new costs
/// what arrived since the last time, not a listing of every message ever written, which at a hundred thousand
/// debtors was the simulation's own bottleneck. When the notifications overflow, one listing catches up.
/// </summary>
public sealed class OutboxWatch : IDisposable
{
    private const string Pattern = "msg_*.json";
    private readonly string _outbox;
    private readonly string _letters;
    private readonly FileSystemWatcher _outboxWatcher;
    private readonly FileSystemWatcher _lettersWatcher;
    private readonly ConcurrentQueue<string> _arrived = new();
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private int _missed = 1; // the first take lists both folders: what was written before the watch began

    public OutboxWatch(string outbox, string letters)
    {
        _outbox = Path.GetFullPath(outbox);
        _letters = Path.GetFullPath(letters);
        Directory.CreateDirectory(_outbox);
        Directory.CreateDirectory(_letters);
        _outboxWatcher = Watch(_outbox, subfolders: false);
        _lettersWatcher = Watch(_letters, subfolders: true);
    }

    /// <summary>How many times the folders were listed: the first take, after an overflow, and on demand.</summary>
    public int Listings { get; private set; }

    /// <summary>Files a listing found that the notifications had not named (after the first listing): zero when they miss nothing.</summary>
    public int Missed { get; private set; }

    /// <summary>The files that arrived since the last call, each once; with <paramref name="list"/>, checked against a listing.</summary>
    public IReadOnlyList<string> TakeNew(bool list = false)
    {
        var first = Listings == 0;
        if (Interlocked.Exchange(ref _missed, 0) == 1 || list)
        {
            Listings++;
            var named = new HashSet<string>(_arrived, StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(_outbox, Pattern).Concat(Directory.EnumerateFiles(_letters, Pattern, SearchOption.AllDirectories)))
            {
                if (!first && !_taken.Contains(file) && !named.Contains(file))
                {
                    Missed++;
                }

                _arrived.Enqueue(file);
            }
        }

        var fresh = new List<string>();
        while (_arrived.TryDequeue(out var file))
        {
            if (_taken.Add(file))
            {
                fresh.Add(file);
            }
        }

        return fresh;
    }

    /// <summary>A file that could not be read yet (still being written): it comes back at the next take.</summary>
    public void Retry(string file)
    {
        _taken.Remove(file);
        _arrived.Enqueue(file);
    }

    public void Dispose()
    {
        _outboxWatcher.Dispose();
        _lettersWatcher.Dispose();
    }

    private FileSystemWatcher Watch(string folder, bool subfolders)
    {
        // Both channels write a temporary file and rename it. A letters subfolder (one per creditor) may be made and
        // written to before its own watch is in place: its files are listed when it appears.
        var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = subfolders,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) =>
        {
            if (Directory.Exists(e.FullPath))
            {
                foreach (var file in Directory.EnumerateFiles(e.FullPath, Pattern, SearchOption.AllDirectories))
                {
                    _arrived.Enqueue(file);
                }
            }
            else
            {
                Arrived(e.FullPath);
            }
        };
        watcher.Renamed += (_, e) => Arrived(e.FullPath);
        watcher.Error += (_, _) => Interlocked.Exchange(ref _missed, 1);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Arrived(string path)
    {
        if (FileSystemName.MatchesSimpleExpression(Pattern, Path.GetFileName(path)))
        {
            _arrived.Enqueue(path);
        }
    }
}
