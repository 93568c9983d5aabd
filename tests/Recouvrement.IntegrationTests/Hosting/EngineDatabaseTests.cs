using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Recouvrement.Api.Hosting;
using Recouvrement.Events;
using Recouvrement.Silo.Storage;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Hosting;

/// <summary>
/// A process on PostgreSQL opens every connection from its one registered data source: Orleans' clustering, grain
/// storage, reminders and the event stream included, which would otherwise each keep a pool of their own built from
/// the string.
/// </summary>
public sealed class EngineDatabaseTests(DurableEngineHost host) : IClassFixture<DurableEngineHost>
{
    [Fact]
    public void A_silo_gives_orleans_clustering_storage_reminders_and_streams_its_one_data_source()
    {
        var database = Assert.Single(host.Services.GetServices<NpgsqlDataSource>());

        var clustering = host.Services.GetRequiredService<IOptions<AdoNetClusteringSiloOptions>>().Value;
        var storage = host.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(GroupCommitGrainStorage.InnerName);
        var reminders = host.Services.GetRequiredService<IOptions<AdoNetReminderTableOptions>>().Value;
        var stream = host.Services.GetRequiredService<IOptionsMonitor<AdoNetStreamOptions>>().Get(EventStreams.Provider);

        Assert.Same(database, clustering.DataSource);
        Assert.Same(database, storage.DataSource);
        Assert.Same(database, reminders.DataSource);
        Assert.Same(database, stream.DataSource);
        Assert.All([clustering.ConnectionString, storage.ConnectionString, reminders.ConnectionString, stream.ConnectionString], Assert.Null);
        Assert.All([clustering.Invariant, storage.Invariant, reminders.Invariant, stream.Invariant], i => Assert.Equal("Npgsql", i));
    }

    [Fact]
    public async Task The_api_tier_alone_reads_the_membership_table_through_its_one_data_source()
    {
        var builder = WebApplication.CreateBuilder([$"--ConnectionStrings:Recouvrement={host.Database.ConnectionString}"]);
        builder.AddRecouvrementClusterClient();
        builder.Services.AddEngineDatabase(builder.Configuration);
        await using var app = builder.Build();

        var database = Assert.Single(app.Services.GetServices<NpgsqlDataSource>());
        var clustering = app.Services.GetRequiredService<IOptions<AdoNetClusteringClientOptions>>().Value;
        Assert.Same(database, clustering.DataSource);
        Assert.Null(clustering.ConnectionString);
    }
}
