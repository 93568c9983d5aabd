namespace Recouvrement.Api.Hosting;

/// <summary>
/// Mutual TLS on the cluster's own ports: silo to silo, and API tier to gateway. Bound from
/// <c>Recouvrement:Cluster:Tls</c> by the silos and the API process alike. Off until a certificate is set; once any key
/// is set, the whole setting must be complete and usable or the process does not start (see <see cref="ClusterTls"/>).
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "Recouvrement:Cluster:Tls";

    /// <summary>
    /// PKCS#12 (.pfx) file holding this node's certificate and its private key. Default: none. Give either this or
    /// <see cref="CertificatePemPath"/> with <see cref="KeyPemPath"/>, not both.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the <see cref="CertificatePath"/> file, or of an encrypted <see cref="KeyPemPath"/>. Default: none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file of this node's certificate (a Kubernetes TLS secret's <c>tls.crt</c>). Default: none.</summary>
    public string? CertificatePemPath { get; set; }

    /// <summary>PEM file of the private key of <see cref="CertificatePemPath"/> (<c>tls.key</c>). Default: none.</summary>
    public string? KeyPemPath { get; set; }

    /// <summary>
    /// The cluster's own CA certificate, PEM or DER (<c>ca.crt</c>); a PEM file may hold several, to roll over to a new
    /// CA. A peer is accepted only if its certificate is issued by one of them: the system's trusted roots are not
    /// consulted. Required with a certificate. Default: none.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// Also ask the CA's revocation list (online, from the certificate's CRL distribution point) whether a peer's
    /// certificate was revoked; a list that cannot be fetched then rejects the peer. Default: <c>false</c>.
    /// </summary>
    public bool CheckRevocation { get; set; }

    /// <summary>True when any key is given: TLS is then wanted, and the setting must be complete.</summary>
    public bool IsSet =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificatePemPath) ||
        !string.IsNullOrWhiteSpace(KeyPemPath) || !string.IsNullOrWhiteSpace(CaCertificatePath) ||
        !string.IsNullOrEmpty(CertificatePassword) || CheckRevocation;
}
