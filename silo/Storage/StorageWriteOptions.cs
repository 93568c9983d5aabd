using System.ComponentModel.DataAnnotations;

namespace Recouvrement.Silo.Storage;

/// <summary>
/// <c>Recouvrement:Storage</c>: how grain state writes are grouped. Read while the silo is configured (it chooses the
/// providers), through <see cref="Recouvrement.Hosting.ValidatedOptions.Read{T}"/>.
/// </summary>
public sealed class StorageWriteOptions
{
    public const string Section = "Recouvrement:Storage";

    /// <summary>At most this many writes per transaction. Default: 500.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 500;

    /// <summary>Transactions in flight at once. Default: 2.</summary>
    [Range(1, 256)]
    public int Writers { get; set; } = 2;

    /// <summary>False: every write is its own transaction through the ADO.NET provider. Default: true.</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>With <see cref="GroupCommit"/>: grain state reads waiting at the same moment share one query. Default: true.</summary>
    public bool GroupReads { get; set; } = true;

    public const int DefaultMaxQueued = 100_000;

    /// <summary>
    /// At most this many writes (and as many reads) wait for the database; one more fails at once, answered 503, rather
    /// than growing the silo's memory while the database is slow or away. Default: 100,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxQueued { get; set; } = DefaultMaxQueued;
}
