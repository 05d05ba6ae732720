namespace LnbitsMcp.Edge.Tls;

/// <summary>
/// The edge's HTTPS certificate (section <c>Tls</c>): a PFX (<c>CertificatePath</c> +
/// <c>CertificatePassword</c>) or PEM files (<c>CertificatePath</c> + <c>KeyPath</c>). Without one,
/// the ASP.NET development certificate is used when present, else a self-signed localhost
/// certificate that the edge creates once and keeps at <c>SelfSignedPath</c>.
/// </summary>
public sealed class EdgeTlsOptions
{
    public const string SectionName = "Tls";

    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? KeyPath { get; set; }

    // DoNotVerify: the folder is made only when the self-signed certificate is written (a read-only
    // container root filesystem must not stop an edge that serves plain HTTP only).
    public string SelfSignedPath { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "lnbits-mcp", "edge-localhost.pfx");
}
