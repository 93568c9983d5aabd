namespace Recouvrement.Imports;

/// <summary>
/// One CSV import of a creditor, as its history lists it: when, through what (<c>api</c> with the key's id, or
/// <c>console</c> with the user's id), the file's name as sent, and how its lines fared. Never a line's content.
/// </summary>
[GenerateSerializer, Immutable, Alias("rc.ImportRecord")]
public sealed record ImportRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Source,
    [property: Id(3)] string? By,
    [property: Id(4)] string? FileName,
    [property: Id(5)] int Lines,
    [property: Id(6)] int Created,
    [property: Id(7)] int Duplicate,
    [property: Id(8)] int Conflict,
    [property: Id(9)] int Invalid,
    [property: Id(10)] int Failed)
{
    /// <summary>What <see cref="Source"/> says of an import sent to <c>POST /api/v1/imports</c>.</summary>
    public const string Api = "api";

    /// <summary>What <see cref="Source"/> says of an import uploaded in the console.</summary>
    public const string Console = "console";
}

/// <summary>The history of one creditor's imports, keyed by the creditor's id: the latest <see cref="MaxKept"/>, newest first.</summary>
public interface ICreditorImportsGrain : IGrainWithStringKey
{
    /// <summary>How many imports the history keeps; an older one drops out.</summary>
    const int MaxKept = 200;

    /// <summary>Adds an import to the history, durably; the same id twice is kept once.</summary>
    Task Record(ImportRecord import);

    /// <summary>The imports kept, newest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ImportRecord>> List();
}
