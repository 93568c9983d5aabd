using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Integration;

/// <summary>
/// Two silo processes and the API process on one PostgreSQL, every one with <c>Recouvrement:Cluster:Tls</c> and
/// certificates of a CA made for the test: the silos join each other and the API reaches them over mutual TLS, while an
/// API process whose certificate another CA issued, or one without TLS, and a silo with another CA's certificate are
/// refused by the silos.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ClusterTlsTests
{
    private const string Key = "rk_cluster_tls_key";
    private const string Password = "node-password";

    // Orleans' TLS middleware logs (as a warning) every handshake a silo refuses, under this category.
    private const string SiloRefusal = "Orleans.Connections.Security.TlsServerConnectionMiddleware";

    [Fact]
    public async Task Silos_and_the_API_tier_connect_over_mutual_TLS_and_a_peer_without_a_cluster_certificate_is_refused()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var certificates = new TestCertificates();
        var cluster = certificates.NewAuthority("Recouvrement test cluster CA");
        var other = certificates.NewAuthority("Some other CA");
        var outbox = Directory.CreateTempSubdirectory("recouvrement-tls-outbox-").FullName;
        string Log(string process) => Path.Combine(Path.GetTempPath(), $"recouvrement-tls-{database.Name}-{process}.log");

        var shared = SiloProcess.Environment(database.ConnectionString, Key, outbox, 1, DateTimeOffset.UtcNow.ToString("O"));
        var silo = new Dictionary<string, string>(shared)
        {
            ["Recouvrement__Cluster__Tls__CertificatePath"] = certificates.IssuePfx(cluster, "silo", Password),
            ["Recouvrement__Cluster__Tls__CertificatePassword"] = Password,
            ["Recouvrement__Cluster__Tls__CaCertificatePath"] = cluster.Path,
        };
        var (apiCertificate, apiKey) = certificates.IssuePem(cluster, "api");
        var api = new Dictionary<string, string>(shared)
        {
            ["Recouvrement__Cluster__Tls__CertificatePemPath"] = apiCertificate,
            ["Recouvrement__Cluster__Tls__KeyPemPath"] = apiKey,
            ["Recouvrement__Cluster__Tls__CaCertificatePath"] = cluster.Path,
        };
        // The intruder trusts the cluster's CA as well as its own, so it would accept the silos: only they can refuse it.
        var intruder = new Dictionary<string, string>(shared)
        {
            ["Recouvrement__Cluster__Tls__CertificatePath"] = certificates.IssuePfx(other, "intruder", Password),
            ["Recouvrement__Cluster__Tls__CertificatePassword"] = Password,
            ["Recouvrement__Cluster__Tls__CaCertificatePath"] = certificates.Bundle("both-cas", cluster, other),
        };

        var siloLogs = new[] { Log("silo-1"), Log("silo-2") };
        var processes = new List<SiloProcess>();
        try
        {
            processes.Add(await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(silo), siloLogs[0]));
            processes.Add(await SiloProcess.StartAsync(FreePort.Next(), SiloProcess.WithClusterPorts(silo), siloLogs[1]));
            // A silo becomes active only once it has reached every active silo, and they probe each other from then on.
            await Eventually.Get(
                () => database.CountAsync("SELECT count(*) FROM orleans_membership WHERE status = 3"),
                active => active == 2, TimeSpan.FromSeconds(60), "both silos active members of the cluster");
            foreach (var member in processes)
            {
                using var http = new HttpClient { BaseAddress = member.Address };
                Assert.Equal("Healthy", await Readiness.Check(http, "silo"));
            }

            var apiProcess = await SiloProcess.StartAsync(FreePort.Next(), api, Log("api"), "Recouvrement.ClientApi.dll");
            processes.Add(apiProcess);
            using var client = Client(apiProcess.Address);
            Assert.Equal("Healthy", await Readiness.Check(client, "cluster"));
            await ApiCases.Create(client, "TLS-1", "TLS-D1");
            var created = await client.GetFromJsonAsync<JsonObject>("/api/v1/cases/TLS-1");
            Assert.Equal(42.50m, created!["balance"]!.GetValue<decimal>());
            Assert.Equal(0, Refusals(siloLogs));

            // An API process presenting another CA's certificate, then one without TLS at all: the silos refuse each.
            // Each is stopped before the next starts, since it keeps retrying (and being refused) while it runs.
            foreach (var (name, environment) in new[] { ("intruder", intruder), ("plaintext", shared) })
            {
                var before = Refusals(siloLogs);
                await using var refused = SiloProcess.Launch(FreePort.Next(), environment, Log(name), "Recouvrement.ClientApi.dll");
                await Eventually.True(() => Refusals(siloLogs) > before, TimeSpan.FromSeconds(60), $"a silo to refuse the TLS handshake of the {name} API process");
                using var refusedClient = Client(refused.Address);
                Assert.False(await Answers(refusedClient, "/health/ready"), $"the {name} API process reports itself ready");
                var attempt = await Send(() => refusedClient.PostAsJsonAsync("/api/v1/cases", new
                {
                    reference = $"TLS-{name}", amount = 42.50m, issuedOn = "2026-09-12", dueOn = "2026-10-12",
                    debtor = new { reference = "TLS-D2", kind = "consumer", name = "Marie Durand", email = "marie@example.org" },
                }));
                Assert.NotEqual(HttpStatusCode.Created, attempt);
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/cases/TLS-{name}")).StatusCode);
            }

            // A silo with the intruder's certificate must reach every active silo on the silo port before it joins.
            var refusedBefore = Refusals(siloLogs);
            var intruderSiloLog = Log("intruder-silo");
            await using (SiloProcess.Launch(FreePort.Next(), SiloProcess.WithClusterPorts(intruder), intruderSiloLog))
            {
                await Eventually.True(
                    () => File.Exists(intruderSiloLog) && File.ReadAllText(intruderSiloLog).Contains("Failed to get ping responses from 2 of 2 active silos", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(120), "the intruding silo to find it cannot reach the active silos");
            }

            Assert.True(Refusals(siloLogs) > refusedBefore, "the silos refused the intruding silo's TLS handshake");
            Assert.Equal(2, await database.CountAsync("SELECT count(*) FROM orleans_membership WHERE status = 3"));
            Assert.Equal(42.50m, (await client.GetFromJsonAsync<JsonObject>("/api/v1/cases/TLS-1"))!["balance"]!.GetValue<decimal>());
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            Directory.Delete(outbox, recursive: true);
        }
    }

    private static HttpClient Client(Uri address) => new()
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(15),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", Key) },
    };

    private static int Refusals(IEnumerable<string> logs) =>
        logs.Where(File.Exists).Sum(log => File.ReadLines(log).Count(line => line.Contains(SiloRefusal, StringComparison.Ordinal)));

    private static async Task<bool> Answers(HttpClient client, string path) =>
        await Send(() => client.GetAsync(path)) == HttpStatusCode.OK;

    /// <summary>The status of a request, or null when the process does not answer at all.</summary>
    private static async Task<HttpStatusCode?> Send(Func<Task<HttpResponseMessage>> request)
    {
        try
        {
            using var response = await request();
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
