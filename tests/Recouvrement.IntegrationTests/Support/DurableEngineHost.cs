namespace Recouvrement.Tests.Support;

/// <summary>The single-node process on a fresh PostgreSQL database of its own, dropped afterwards.</summary>
public sealed class DurableEngineHost : EngineHost
{
    private PostgresDatabase? _database;

    public PostgresDatabase Database => _database!;

    protected override IEnumerable<string> ExtraArgs => DurableArgs(_database!.ConnectionString);

    public override async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database!.DisposeAsync();
    }
}
