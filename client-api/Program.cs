using Recouvrement.Api;
using Recouvrement.Api.Hosting;

// The API tier on its own: an Orleans client against a PostgreSQL-clustered silo cluster.
var builder = WebApplication.CreateBuilder(args);
builder.AddProductionGuard(sendsMessages: false);
builder.AddRecouvrementClusterClient();
builder.AddRecouvrementTelemetry();
builder.Services.AddEngineDatabase(builder.Configuration);
builder.Services.AddHealthChecks()
    .AddCheck<ClusterReachableCheck>("cluster", tags: ["ready"])
    .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
builder.Services.AddRecouvrementApi();

var app = builder.Build();
app.MapRecouvrementTelemetry();
app.MapRecouvrementApi();
app.Run();
