using System.ComponentModel.DataAnnotations;

namespace LnbitsMcp.Server.Security;

/// <summary>Where user-aimed outbound requests (LNURL, Lightning Address) may go. Section <c>Security</c>.</summary>
public sealed class SsrfGuardOptions
{
    public const string SectionName = "Security";

    /// <summary>Allow loopback, private, CGNAT and unique-local destinations (local development, the sandbox).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Allow plain http to public hosts (otherwise https is required; http only reaches private networks).</summary>
    public bool AllowHttpForPublicHosts { get; set; }

    /// <summary>Largest response body accepted, in bytes (default 1 MiB).</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Redirects followed (each re-checked) before the redirect response is returned as is.</summary>
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 3;
}
