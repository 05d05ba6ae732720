using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LnbitsMcp.Edge.Tls;

/// <summary>Finds the certificate the edge serves HTTPS with (see <see cref="EdgeTlsOptions"/>).</summary>
public static class EdgeCertificates
{
    private const string AspNetDevCertificateOid = "1.3.6.1.4.1.311.84.1.1";

    /// <summary>The configured certificate, else null when the dev certificate exists (Kestrel uses it), else the self-signed one.</summary>
    public static X509Certificate2? Resolve(EdgeTlsOptions options, bool useDevCertificate = true)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return LoadConfigured(options);
        }

        if (useDevCertificate && HasDevCertificate())
        {
            return null;
        }

        return LoadOrCreateSelfSigned(options.SelfSignedPath);
    }

    public static X509Certificate2 LoadConfigured(EdgeTlsOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(options.KeyPath))
        {
            using var pem = X509Certificate2.CreateFromPemFile(path, options.KeyPath);
            // Re-import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
    }

    public static bool HasDevCertificate()
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        try
        {
            store.Open(OpenFlags.ReadOnly);
        }
        catch (CryptographicException)
        {
            return false;
        }

        var now = DateTime.Now;
        return store.Certificates.Any(c => c.HasPrivateKey && c.NotBefore <= now && c.NotAfter > now
            && c.Extensions.Any(e => e.Oid?.Value == AspNetDevCertificateOid));
    }

    /// <summary>The self-signed localhost certificate at <paramref name="path"/>, created (or renewed) when missing or expiring.</summary>
    public static X509Certificate2 LoadOrCreateSelfSigned(string path)
    {
        if (File.Exists(path))
        {
            try
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(path, null);
                if (existing.NotAfter > DateTime.Now.AddDays(7) && existing.HasPrivateKey)
                {
                    return existing;
                }

                existing.Dispose();
            }
            catch (CryptographicException)
            {
                // unreadable: make a new one below
            }
        }

        var certificate = CreateSelfSigned();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return certificate;
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost (LnbitsMcp edge)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
