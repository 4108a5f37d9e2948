using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OfflineBackup.Sandbox.Ec2Double;

/// <summary>
/// A self-signed certificate for 127.0.0.1 that no trust store knows: the double then fails
/// TLS the way an intercepting proxy or a wrong endpoint does in the field.
/// </summary>
internal static class Ec2FaultTls
{
    public static X509Certificate2 UntrustedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ec2-double.invalid", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        // Kestrel needs the private key in a form it can use on Linux: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
