using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Recouvrement.Api.Hosting;

/// <summary>Which side of the cluster's connections a node takes, and so what its certificate must allow.</summary>
public enum ClusterTlsRole
{
    /// <summary>A silo accepts connections (server) and opens them to other silos (client).</summary>
    Silo,

    /// <summary>The API tier only opens connections to the silos' gateways.</summary>
    Client,
}

/// <summary>
/// The checked material of cluster TLS: this node's certificate, and the cluster's CA that every peer's certificate
/// must be issued by. Both ends of every connection present a certificate and check the other's against that CA alone.
/// </summary>
public sealed class ClusterTls
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private readonly TimeProvider _time;

    private ClusterTls(X509Certificate2 certificate, X509Certificate2Collection authorities, bool checkRevocation, TimeProvider time)
    {
        Certificate = certificate;
        Authorities = authorities;
        CheckRevocation = checkRevocation;
        _time = time;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates a peer's certificate may be issued by.</summary>
    public X509Certificate2Collection Authorities { get; }

    public bool CheckRevocation { get; }

    /// <summary>
    /// Reads <c>Recouvrement:Cluster:Tls</c>: null when nothing is set (TLS off). A setting that is half given, a file that
    /// cannot be read, or a certificate that is expired, not yet valid, not for <paramref name="role"/> or not issued by
    /// the CA throws an <see cref="InvalidOperationException"/> that names the key, so the process stops at start-up.
    /// </summary>
    public static ClusterTls? FromConfiguration(IConfiguration configuration, ClusterTlsRole role, TimeProvider time) =>
        Load(configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions(), role, time);

    /// <inheritdoc cref="FromConfiguration"/>
    public static ClusterTls? Load(ClusterTlsOptions options, ClusterTlsRole role, TimeProvider time)
    {
        if (!options.IsSet)
        {
            return null;
        }

        var certificate = LoadCertificate(options);
        var authorities = LoadAuthorities(options);
        var tls = new ClusterTls(certificate, authorities, options.CheckRevocation, time);
        var source = Key(string.IsNullOrWhiteSpace(options.CertificatePath) ? "CertificatePemPath" : "CertificatePath");
        tls.CheckOwnCertificate(role, $"the certificate of {source} ({certificate.Subject}, {certificate.Thumbprint})");
        return tls;
    }

    /// <summary>Orleans' TLS settings for this node: present our certificate, require the peer's, accept only the cluster's.</summary>
    public void Configure(TlsOptions tls)
    {
        tls.LocalCertificate = Certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.CheckCertificateRevocation = CheckRevocation;
        // The platform's verdict (system roots, host name) is set aside: peers are addressed by IP and trusted by CA alone.
        tls.RemoteCertificateValidation = (certificate, presented, _) => IsIssuedByCluster(certificate, presented);
    }

    /// <summary>True when <paramref name="peer"/> chains to one of <see cref="Authorities"/> and is valid now.</summary>
    public bool IsIssuedByCluster(X509Certificate2 peer, X509Chain? presented = null)
    {
        using var chain = NewChain(presented, CheckRevocation);
        return chain.Build(peer);
    }

    private X509Chain NewChain(X509Chain? presented, bool checkRevocation)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (presented is not null)
        {
            // Intermediates the peer sent with its certificate.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        return chain;
    }

    private void CheckOwnCertificate(ClusterTlsRole role, string source)
    {
        var now = _time.GetUtcNow();
        if (now > Certificate.NotAfter.ToUniversalTime())
        {
            throw Fail($"{source} expired on {Certificate.NotAfter.ToUniversalTime():u}: issue a new one from the cluster's CA.");
        }

        if (now < Certificate.NotBefore.ToUniversalTime())
        {
            throw Fail($"{source} is not valid before {Certificate.NotBefore.ToUniversalTime():u}: check this machine's clock.");
        }

        var usages = Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault()?.EnhancedKeyUsages
            .Cast<Oid>().Select(o => o.Value).ToHashSet();
        if (usages is not null)
        {
            if (!usages.Contains(ClientAuthentication))
            {
                throw Fail($"{source} lacks the client authentication usage (extendedKeyUsage clientAuth) every node needs.");
            }

            if (role == ClusterTlsRole.Silo && !usages.Contains(ServerAuthentication))
            {
                throw Fail($"{source} lacks the server authentication usage (extendedKeyUsage serverAuth) a silo needs.");
            }
        }

        // Revocation of our own certificate is for the peers to find out; a start must not hang on a CRL download.
        using var chain = NewChain(null, checkRevocation: false);
        if (!chain.Build(Certificate))
        {
            var reasons = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            throw Fail($"{source} is not issued by the CA in {Key("CaCertificatePath")} (its issuer: {Certificate.Issuer}): {reasons}");
        }
    }

    private static X509Certificate2 LoadCertificate(ClusterTlsOptions options)
    {
        var pfx = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var pem = !string.IsNullOrWhiteSpace(options.CertificatePemPath) || !string.IsNullOrWhiteSpace(options.KeyPemPath);
        if (pfx && pem)
        {
            throw Fail($"give either {Key("CertificatePath")} (PKCS#12) or {Key("CertificatePemPath")} with {Key("KeyPemPath")} (PEM), not both.");
        }

        if (pfx)
        {
            var path = ExistingFile(options.CertificatePath!, "CertificatePath");
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            }
            catch (CryptographicException e)
            {
                throw Fail($"{Key("CertificatePath")} ({path}) cannot be read as PKCS#12 with the {Key("CertificatePassword")} given: {e.Message}", e);
            }

            return WithPrivateKey(certificate, "CertificatePath");
        }

        if (!pem)
        {
            throw Fail($"no certificate: set {Key("CertificatePath")} (PKCS#12), or {Key("CertificatePemPath")} and {Key("KeyPemPath")} (PEM), with {Key("CaCertificatePath")}.");
        }

        if (string.IsNullOrWhiteSpace(options.CertificatePemPath) || string.IsNullOrWhiteSpace(options.KeyPemPath))
        {
            throw Fail($"{Key("CertificatePemPath")} and {Key("KeyPemPath")} go together: set both.");
        }

        var certificatePath = ExistingFile(options.CertificatePemPath, "CertificatePemPath");
        var keyPath = ExistingFile(options.KeyPemPath, "KeyPemPath");
        try
        {
            var loaded = string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, options.CertificatePassword, keyPath);
            if (OperatingSystem.IsWindows())
            {
                // SChannel will not use a PEM key held only in memory; a PKCS#12 round trip gives it a key container.
                using (loaded)
                {
                    return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
                }
            }

            return loaded;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that is not the certificate's.
            throw Fail($"{Key("CertificatePemPath")} ({certificatePath}) and {Key("KeyPemPath")} ({keyPath}) cannot be read as a PEM certificate and its private key: {e.Message}", e);
        }
    }

    private static X509Certificate2 WithPrivateKey(X509Certificate2 certificate, string name)
    {
        if (!certificate.HasPrivateKey)
        {
            throw Fail($"{Key(name)} holds a certificate without its private key ({certificate.Subject}).");
        }

        return certificate;
    }

    private static X509Certificate2Collection LoadAuthorities(ClusterTlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CaCertificatePath))
        {
            throw Fail($"{Key("CaCertificatePath")} is required with a certificate: it names the cluster's own CA, the only one whose certificates are accepted from peers.");
        }

        var path = ExistingFile(options.CaCertificatePath, "CaCertificatePath");
        var authorities = new X509Certificate2Collection();
        try
        {
            if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                authorities.ImportFromPemFile(path);
            }
            else
            {
                authorities.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }
        catch (CryptographicException e)
        {
            throw Fail($"{Key("CaCertificatePath")} ({path}) cannot be read as a PEM or DER certificate: {e.Message}", e);
        }

        if (authorities.Count == 0)
        {
            throw Fail($"{Key("CaCertificatePath")} ({path}) holds no certificate.");
        }

        return authorities;
    }

    private static string ExistingFile(string path, string name)
    {
        if (!File.Exists(path))
        {
            throw Fail($"{Key(name)}: no file at {path}.");
        }

        return path;
    }

    private static string Key(string name) => $"{ClusterTlsOptions.Section}:{name}";

    private static InvalidOperationException Fail(string message, Exception? inner = null) =>
        new($"Cluster TLS: {message}", inner);
}
