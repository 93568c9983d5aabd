using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Orleans.Connections.Security;
using Recouvrement.Api.Hosting;
using Recouvrement.Silo.Hosting;
using Recouvrement.Tests.Support;

namespace Recouvrement.Tests.Hosting;

/// <summary>
/// <c>Recouvrement:Cluster:Tls</c>: off when nothing is set; once set, complete and usable or the process does not
/// start, with a message naming the key; and the rule a peer's certificate must pass.
/// </summary>
public sealed class ClusterTlsSettingsTests : IDisposable
{
    private const string Password = "node-password";
    private readonly TestCertificates _certificates = new();
    private readonly TestCertificates.Authority _cluster;
    private readonly TestCertificates.Authority _other;

    public ClusterTlsSettingsTests()
    {
        _cluster = _certificates.NewAuthority("cluster");
        _other = _certificates.NewAuthority("other");
    }

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void Nothing_set_leaves_tls_off()
    {
        Assert.Null(ClusterTls.Load(new ClusterTlsOptions(), ClusterTlsRole.Silo, TimeProvider.System));
    }

    [Fact]
    public void A_silo_with_a_certificate_but_no_CA_does_not_start()
    {
        var certificate = _certificates.IssuePfx(_cluster, "silo", Password);

        var failure = Assert.Throws<InvalidOperationException>(() => SiloHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Recouvrement:Cluster:Tls:CertificatePath={certificate}",
            $"--Recouvrement:Cluster:Tls:CertificatePassword={Password}",
        ]));

        Assert.StartsWith("Cluster TLS: Recouvrement:Cluster:Tls:CaCertificatePath is required with a certificate", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_API_process_with_a_CA_but_no_certificate_does_not_start()
    {
        var builder = WebApplication.CreateBuilder(
        [
            "--ConnectionStrings:Recouvrement=Host=127.0.0.1;Database=none",
            $"--Recouvrement:Cluster:Tls:CaCertificatePath={_cluster.Path}",
        ]);

        var failure = Assert.Throws<InvalidOperationException>(() => builder.AddRecouvrementClusterClient());

        Assert.StartsWith("Cluster TLS: no certificate: set Recouvrement:Cluster:Tls:CertificatePath", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_revocation_checks_alone_is_half_a_setting()
    {
        var failure = Fails(new() { CheckRevocation = true });

        Assert.StartsWith("Cluster TLS: no certificate", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_file_that_is_not_there_is_named()
    {
        var failure = Fails(new() { CertificatePath = Path.Combine(_certificates.Folder, "missing.pfx"), CaCertificatePath = _cluster.Path });

        Assert.Equal($"Cluster TLS: Recouvrement:Cluster:Tls:CertificatePath: no file at {Path.Combine(_certificates.Folder, "missing.pfx")}.", failure.Message);
    }

    [Fact]
    public void A_wrong_password_is_reported_as_such()
    {
        var certificate = _certificates.IssuePfx(_cluster, "silo", Password);

        var failure = Fails(new() { CertificatePath = certificate, CertificatePassword = "wrong", CaCertificatePath = _cluster.Path });

        Assert.StartsWith($"Cluster TLS: Recouvrement:Cluster:Tls:CertificatePath ({certificate}) cannot be read as PKCS#12 with the Recouvrement:Cluster:Tls:CertificatePassword given", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_stops_the_start()
    {
        var certificate = _certificates.IssuePfx(_cluster, "silo", Password, validFrom: TimeSpan.FromDays(-10), validFor: TimeSpan.FromDays(9));

        var failure = Fails(new() { CertificatePath = certificate, CertificatePassword = Password, CaCertificatePath = _cluster.Path });

        Assert.Contains("expired on", failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("Cluster TLS: the certificate of Recouvrement:Cluster:Tls:CertificatePath (CN=silo", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_not_yet_valid_stops_the_start()
    {
        var certificate = _certificates.IssuePfx(_cluster, "silo", Password, validFrom: TimeSpan.FromDays(1));

        var failure = Fails(new() { CertificatePath = certificate, CertificatePassword = Password, CaCertificatePath = _cluster.Path });

        Assert.Contains("is not valid before", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_from_another_CA_than_the_cluster_one_stops_the_start()
    {
        var certificate = _certificates.IssuePfx(_other, "silo", Password);

        var failure = Fails(new() { CertificatePath = certificate, CertificatePassword = Password, CaCertificatePath = _cluster.Path });

        Assert.Contains("is not issued by the CA in Recouvrement:Cluster:Tls:CaCertificatePath (its issuer: CN=other)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silo_needs_server_authentication_in_its_certificate_the_API_tier_does_not()
    {
        var clientOnly = _certificates.IssuePfx(_cluster, "api", Password, usages: [new("1.3.6.1.5.5.7.3.2")]);
        var options = new ClusterTlsOptions { CertificatePath = clientOnly, CertificatePassword = Password, CaCertificatePath = _cluster.Path };

        var failure = Assert.Throws<InvalidOperationException>(() => ClusterTls.Load(options, ClusterTlsRole.Silo, TimeProvider.System));

        Assert.Contains("lacks the server authentication usage (extendedKeyUsage serverAuth) a silo needs", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(ClusterTls.Load(options, ClusterTlsRole.Client, TimeProvider.System));
    }

    [Fact]
    public void A_PEM_key_without_its_certificate_is_half_a_setting()
    {
        var (_, key) = _certificates.IssuePem(_cluster, "api");

        var failure = Fails(new() { KeyPemPath = key, CaCertificatePath = _cluster.Path });

        Assert.Equal("Cluster TLS: Recouvrement:Cluster:Tls:CertificatePemPath and Recouvrement:Cluster:Tls:KeyPemPath go together: set both.", failure.Message);
    }

    [Fact]
    public void An_encrypted_PEM_key_is_opened_with_the_certificate_password()
    {
        var (certificate, key) = _certificates.IssuePem(_cluster, "api", Password);

        var tls = ClusterTls.Load(new() { CertificatePemPath = certificate, KeyPemPath = key, CertificatePassword = Password, CaCertificatePath = _cluster.Path }, ClusterTlsRole.Client, TimeProvider.System);
        var failure = Assert.Throws<InvalidOperationException>(() => ClusterTls.Load(new() { CertificatePemPath = certificate, KeyPemPath = key, CaCertificatePath = _cluster.Path }, ClusterTlsRole.Client, TimeProvider.System));

        Assert.True(tls!.Certificate.HasPrivateKey);
        Assert.StartsWith($"Cluster TLS: Recouvrement:Cluster:Tls:CertificatePemPath ({certificate}) and Recouvrement:Cluster:Tls:KeyPemPath ({key}) cannot be read", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PEM_key_that_is_not_the_certificate_s_is_refused()
    {
        var (certificate, _) = _certificates.IssuePem(_cluster, "api");
        var (_, otherKey) = _certificates.IssuePem(_cluster, "silo");

        var failure = Fails(new() { CertificatePemPath = certificate, KeyPemPath = otherKey, CaCertificatePath = _cluster.Path });

        Assert.StartsWith($"Cluster TLS: Recouvrement:Cluster:Tls:CertificatePemPath ({certificate}) and Recouvrement:Cluster:Tls:KeyPemPath ({otherKey}) cannot be read", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PKCS12_and_a_PEM_certificate_together_are_refused()
    {
        var pfx = _certificates.IssuePfx(_cluster, "silo", Password);
        var (certificate, key) = _certificates.IssuePem(_cluster, "api");

        var failure = Fails(new() { CertificatePath = pfx, CertificatePemPath = certificate, KeyPemPath = key, CaCertificatePath = _cluster.Path });

        Assert.StartsWith("Cluster TLS: give either Recouvrement:Cluster:Tls:CertificatePath (PKCS#12) or", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_certificates_issued_by_the_cluster_CA_are_accepted_from_peers()
    {
        var (certificate, key) = _certificates.IssuePem(_cluster, "api");
        var tls = ClusterTls.Load(new() { CertificatePemPath = certificate, KeyPemPath = key, CaCertificatePath = _cluster.Path }, ClusterTlsRole.Silo, TimeProvider.System)!;

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.True(tls.IsIssuedByCluster(Peer(_cluster)));
        Assert.False(tls.IsIssuedByCluster(Peer(_other)));
        Assert.False(tls.IsIssuedByCluster(Peer(_cluster, validFrom: TimeSpan.FromDays(-10), validFor: TimeSpan.FromDays(9))));
        Assert.False(tls.IsIssuedByCluster(_other.Certificate));
    }

    [Fact]
    public void Orleans_is_told_to_require_a_peer_certificate_both_ways_and_to_judge_it_by_the_cluster_CA_alone()
    {
        var certificate = _certificates.IssuePfx(_cluster, "silo", Password);
        var tls = ClusterTls.Load(new() { CertificatePath = certificate, CertificatePassword = Password, CaCertificatePath = _cluster.Path }, ClusterTlsRole.Silo, TimeProvider.System)!;
        var orleans = new TlsOptions();

        tls.Configure(orleans);

        Assert.Same(tls.Certificate, orleans.LocalCertificate);
        Assert.Equal(RemoteCertificateMode.RequireCertificate, orleans.RemoteCertificateMode);
        Assert.Equal(RemoteCertificateMode.RequireCertificate, orleans.ClientCertificateMode);
        // The platform's chain errors (our CA is in no system store) and name mismatches (peers are IPs) do not decide.
        Assert.True(orleans.RemoteCertificateValidation!(Peer(_cluster), null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(orleans.RemoteCertificateValidation(Peer(_other), null, SslPolicyErrors.None));
    }

    [Fact]
    public void A_CA_bundle_accepts_peers_of_each_of_its_CAs()
    {
        var certificate = _certificates.IssuePfx(_cluster, "silo", Password);
        var bundle = _certificates.Bundle("rollover", _cluster, _other);
        var tls = ClusterTls.Load(new() { CertificatePath = certificate, CertificatePassword = Password, CaCertificatePath = bundle }, ClusterTlsRole.Silo, TimeProvider.System)!;

        Assert.Equal(2, tls.Authorities.Count);
        Assert.True(tls.IsIssuedByCluster(Peer(_cluster)));
        Assert.True(tls.IsIssuedByCluster(Peer(_other)));
    }

    private static InvalidOperationException Fails(ClusterTlsOptions options) =>
        Assert.Throws<InvalidOperationException>(() => ClusterTls.Load(options, ClusterTlsRole.Silo, TimeProvider.System));

    private X509Certificate2 Peer(TestCertificates.Authority issuer, TimeSpan? validFrom = null, TimeSpan? validFor = null)
    {
        var path = _certificates.IssuePfx(issuer, $"peer-{Guid.NewGuid():N}", Password, validFrom, validFor);
        return X509CertificateLoader.LoadPkcs12FromFile(path, Password);
    }
}
