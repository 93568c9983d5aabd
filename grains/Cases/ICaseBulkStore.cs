using Recouvrement.Debtors;

namespace Recouvrement.Cases;

/// <summary>A new case as its grain would have written it on creation, and when its first reminder fires.</summary>
public sealed record NewCaseRow(int Index, string CaseKey, CaseState State, string DebtorKey, DateTimeOffset FirstWake);

/// <summary>A new debtor as its grain would have written it once all of <paramref name="CaseIndexes"/> attached.</summary>
public sealed record NewDebtorRow(string DebtorKey, DebtorState State, IReadOnlyList<int> CaseIndexes);

/// <summary>
/// Writes new cases, their debtors and their first reminders straight into the tables the Orleans storage and
/// reminder providers read, in one transaction, in the providers' own formats. The grains find them when they
/// next activate; nothing else knows the difference. Only brand-new cases of brand-new debtors go this way:
/// a grain never has its state changed behind its back.
/// </summary>
public interface ICaseBulkStore
{
    /// <summary>False on the in-memory profile: every case goes through its grain.</summary>
    bool Enabled { get; }

    /// <summary>
    /// How far ahead a reminder written to the table directly must fire: the reminder service notices new rows
    /// only when it reloads its range. A case whose first step is due sooner has its reminder set this far ahead,
    /// as a backup, and is woken at once after the commit (<see cref="BulkCreation.WakeNow"/>).
    /// </summary>
    TimeSpan ReminderLead { get; }

    /// <summary>
    /// Writes what it can in one transaction and returns the indexes of the cases it created. A debtor that
    /// already exists, or a case that does, leaves that debtor's cases out, for their grains to handle.
    /// </summary>
    Task<IReadOnlySet<int>> InsertNewAsync(IReadOnlyList<NewCaseRow> cases, IReadOnlyList<NewDebtorRow> debtors, CancellationToken cancellationToken = default);
}

/// <summary>The in-memory profile's store: writes nothing.</summary>
public sealed class NoBulkStore : ICaseBulkStore
{
    public bool Enabled => false;

    public TimeSpan ReminderLead => TimeSpan.MaxValue;

    public Task<IReadOnlySet<int>> InsertNewAsync(IReadOnlyList<NewCaseRow> cases, IReadOnlyList<NewDebtorRow> debtors, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<int>>(new HashSet<int>());
}
