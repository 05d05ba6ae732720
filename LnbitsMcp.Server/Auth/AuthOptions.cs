using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Configuration;

namespace LnbitsMcp.Server.Auth;

/// <summary>How MCP requests are authorized (CONTRACT §8). Section <c>Auth</c>.</summary>
public enum AuthMode
{
    /// <summary>No OAuth endpoints; the well-known URLs answer 404; anonymous use as in §4.</summary>
    None,

    /// <summary>Tokens are honoured, anonymous calls still work (the default).</summary>
    Optional,

    /// <summary>Every <c>/mcp</c>, <c>/sse</c>, <c>/message</c> request needs a valid access token.</summary>
    Required,
}

/// <summary>
/// OAuth settings (section <c>Auth</c>): the mode, the public URL the issuer and the resource are
/// named after, token lifetimes and the limits of Client ID Metadata Document fetches. An external
/// issuer (<c>Auth:Jwt:Authority</c>, see <see cref="CallerAuthOptions"/>) replaces the built-in
/// authorization server.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Optional;

    /// <summary>The public base URL (e.g. <c>https://mcp.example</c>); unset = the request's scheme and host.</summary>
    public Uri? PublicUrl { get; set; }

    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Idle lifetime of refresh tokens and of the connection they keep alive (each refresh restarts it).</summary>
    [TimeSpanRange("00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    [TimeSpanRange("00:00:30", "00:10:00")]
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest Client ID Metadata Document accepted, in bytes.</summary>
    [Range(256, 1024 * 1024)]
    public int ClientMetadataMaxBytes { get; set; } = 16 * 1024;

    [TimeSpanRange("00:00:01", "00:00:30")]
    public TimeSpan ClientMetadataTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [TimeSpanRange("00:00:00", "1.00:00:00")]
    public TimeSpan ClientMetadataCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a link that configures an MCP session from the connect page stays valid (URL-mode elicitation).</summary>
    [TimeSpanRange("00:01:00", "01:00:00")]
    public TimeSpan SessionLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
