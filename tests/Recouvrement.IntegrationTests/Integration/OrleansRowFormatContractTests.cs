using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Recouvrement.Silo.Storage;
using Recouvrement.Tests.Domain;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// The contract between the engine's own writers of Orleans' tables (silo/Storage/OrleansRowFormat.cs: the bulk intake
/// and the group commit) and Orleans itself, on a real silo's wiring and PostgreSQL: rows written the bulk way are read
/// back by Orleans' own ADO.NET grain storage and reminder table, built as the silo builds them, with the state, the
/// version (ETag) and the reminder they were written with; and what the provider writes over them, the group commit
/// reads and moves on. RUN THIS TEST ON EVERY ORLEANS UPGRADE: it is what fails when a provider changes its row format
/// (a key hash, a serializer, a version rule), which would otherwise show only as cases the engine silently cannot find.
/// </summary>
public sealed class OrleansRowFormatContractTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Far ahead of the silo's real clock, so that the reminder never fires during the test.</summary>
    private static readonly DateTimeOffset FirstWake = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private sealed class DurableHost(string connectionString) : EngineHost
    {
        protected override IEnumerable<string> ExtraArgs => DurableArgs(connectionString);
    }

    [Fact]
    public async Task A_case_a_debtor_and_a_reminder_written_in_bulk_are_read_by_the_orleans_providers_as_written()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var host = new DurableHost(database.ConnectionString);
        await host.InitializeAsync();
        try
        {
            var services = host.Services;
            var bulk = Assert.IsType<PostgresCaseBulkStore>(services.GetRequiredService<Cases.ICaseBulkStore>());
            var orleansStorage = Assert.IsType<AdoNetGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(GroupCommitGrainStorage.InnerName));
            var groupCommit = Assert.IsType<GroupCommitGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default));
            var orleansReminders = AdoNetReminderTable(services);
            await orleansReminders.StartAsync();
            var siloReminders = Assert.IsType<GroupCommitReminderTable>(services.GetRequiredService<IReminderTable>());

            var draft = Drafts.Case("FAC-CONTRACT", debtor: Drafts.Debtor("PAT-CONTRACT"));
            var caseKey = GrainKeys.Compose(EngineHost.DemoCreditor, draft.Reference);
            var debtorKey = GrainKeys.Compose(EngineHost.DemoCreditor, draft.Debtor.Reference);
            var caseState = CaseDecisions.Decide(new CaseState(), new OpenCase(draft), Created, DunningPolicy.Default).State;
            var debtorState = DebtorDecisions.Attach(new DebtorState(), draft.Reference, draft.Debtor);
            var stored = await bulk.InsertNewAsync([new NewCaseRow(0, caseKey, caseState, debtorKey, FirstWake)], [new NewDebtorRow(debtorKey, debtorState, [0])]);
            Assert.Equal([0], stored);

            // The grain ids the grains themselves have; the state names their [PersistentState] attributes give.
            var caseId = host.Grains.Reference<ICaseGrain>(caseKey).GetGrainId();
            var debtorId = host.Grains.Reference<IDebtorGrain>(debtorKey).GetGrainId();

            // Orleans reads each state as written, at the version a first write has.
            var caseRead = new GrainState<CaseState>();
            await orleansStorage.ReadStateAsync("case", caseId, caseRead);
            Assert.Equal((true, "1"), (caseRead.RecordExists, caseRead.ETag));
            Assert.Equivalent(caseState, caseRead.State, strict: true);
            Assert.Equal(draft, caseRead.State!.Draft);
            var debtorRead = new GrainState<DebtorState>();
            await orleansStorage.ReadStateAsync("debtor", debtorId, debtorRead);
            Assert.Equal((true, "1"), (debtorRead.RecordExists, debtorRead.ETag));
            Assert.Equivalent(debtorState, debtorRead.State, strict: true);

            // Orleans writes over the bulk row with the ETag it read; the group commit reads that and writes on; Orleans reads it.
            await orleansStorage.WriteStateAsync("case", caseId, caseRead);
            Assert.Equal("2", caseRead.ETag);
            var ours = new GrainState<CaseState>();
            await groupCommit.ReadStateAsync("case", caseId, ours);
            Assert.Equal((true, "2"), (ours.RecordExists, ours.ETag));
            Assert.Equivalent(caseState, ours.State, strict: true);
            var stepped = CaseDecisions.Decide(ours.State!, new WakeUp(), FirstWake, DunningPolicy.Default).State;
            ours.State = stepped;
            await groupCommit.WriteStateAsync("case", caseId, ours);
            Assert.Equal("3", ours.ETag);
            var again = new GrainState<CaseState>();
            await orleansStorage.ReadStateAsync("case", caseId, again);
            Assert.Equal("3", again.ETag);
            Assert.Equivalent(stepped, again.State, strict: true);

            // The first reminder: found by the grain's own lookup and by the reminder service's read of its ring range,
            // with the start, period and ETag it was written with.
            var reminder = await orleansReminders.ReadRow(caseId, CaseGrain.NextStepReminder);
            Assert.NotNull(reminder);
            Assert.Equal((FirstWake.UtcDateTime, CaseGrain.RetryPeriod, "1"), (reminder.StartAt.ToUniversalTime(), reminder.Period, reminder.ETag));
            var hash = caseId.GetUniformHashCode();
            var inRange = Assert.Single((await orleansReminders.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == caseId);
            Assert.Equal((reminder.StartAt.ToUniversalTime(), reminder.Period, reminder.ETag, reminder.ReminderName), (inRange.StartAt.ToUniversalTime(), inRange.Period, inRange.ETag, inRange.ReminderName));

            // The silo's own reminder table moves it on as Orleans would, and Orleans removes it at the version it reads.
            Assert.Equal("2", await siloReminders.UpsertRow(new ReminderEntry { GrainId = caseId, ReminderName = CaseGrain.NextStepReminder, StartAt = FirstWake.UtcDateTime.AddDays(1), Period = CaseGrain.RetryPeriod }));
            var moved = await orleansReminders.ReadRow(caseId, CaseGrain.NextStepReminder);
            Assert.Equal((FirstWake.UtcDateTime.AddDays(1), "2"), (moved!.StartAt.ToUniversalTime(), moved.ETag));
            Assert.True(await orleansReminders.RemoveRow(caseId, CaseGrain.NextStepReminder, "2"));
            Assert.Null(await siloReminders.ReadRow(caseId, CaseGrain.NextStepReminder));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>The Orleans ADO.NET reminder table (an internal type) from the silo's own options, as the silo builds it.</summary>
    private static IReminderTable AdoNetReminderTable(IServiceProvider services)
    {
        var type = typeof(AdoNetReminderTableOptions).Assembly.GetTypes().Single(t => t.Name == "AdoNetReminderTable");
        return (IReminderTable)ActivatorUtilities.CreateInstance(services, type);
    }
}
