using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Recouvrement.Tests.Support;

/// <summary>Throwaway CAs and node certificates written to a temporary folder, deleted on dispose.</summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly OidCollection NodeUsages = [new("1.3.6.1.5.5.7.3.1"), new("1.3.6.1.5.5.7.3.2")];
    private readonly List<X509Certificate2> _issued = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("recouvrement-tls-").FullName;

    /// <summary>A self-signed CA valid from a month ago to a year ahead; its PEM certificate is written as <c>{name}-ca.crt</c>.</summary>
    public Authority NewAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(365));
        _issued.Add(certificate);
        var path = Path.Combine(Folder, $"{name}-ca.crt");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return new Authority(certificate, path);
    }

    /// <summary>A PEM file holding the certificates of several CAs, as during a CA rollover.</summary>
    public string Bundle(string name, params Authority[] authorities)
    {
        var path = Path.Combine(Folder, $"{name}.crt");
        File.WriteAllText(path, string.Concat(authorities.Select(a => a.Certificate.ExportCertificatePem() + "\n")));
        return path;
    }

    /// <summary>A node certificate issued by <paramref name="issuer"/>, written as <c>{name}.pfx</c> with <paramref name="password"/>.</summary>
    public string IssuePfx(Authority issuer, string name, string password, TimeSpan? validFrom = null, TimeSpan? validFor = null, OidCollection? usages = null)
    {
        using var certificate = Issue(issuer, name, validFrom, validFor, usages);
        var path = Path.Combine(Folder, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    /// <summary>
    /// A node certificate issued by <paramref name="issuer"/>, written as <c>{name}.crt</c> and <c>{name}.key</c> (PEM),
    /// the key encrypted with <paramref name="password"/> when one is given.
    /// </summary>
    public (string Certificate, string Key) IssuePem(Authority issuer, string name, string? password = null)
    {
        using var certificate = Issue(issuer, name, null, null, null);
        var certificatePath = Path.Combine(Folder, $"{name}.crt");
        var keyPath = Path.Combine(Folder, $"{name}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, password is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Directory.Delete(Folder, recursive: true);
    }

    private static X509Certificate2 Issue(Authority issuer, string name, TimeSpan? validFrom, TimeSpan? validFor, OidCollection? usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages ?? NodeUsages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        var notBefore = DateTimeOffset.UtcNow + (validFrom ?? TimeSpan.FromDays(-1));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(issuer.Certificate, notBefore, notBefore + (validFor ?? TimeSpan.FromDays(90)), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A CA: its certificate with the private key, and the PEM file of its certificate.</summary>
    public sealed record Authority(X509Certificate2 Certificate, string Path);
}
