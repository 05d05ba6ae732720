using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// What one tool call knows about its caller (filled by <see cref="ToolCallFilter"/>, scoped to the
/// call): the session arguments, the MCP transport session, the authenticated owner, the client
/// address and per-request LNbits credentials from headers.
/// </summary>
public sealed class ToolCallContext
{
    public string ToolName { get; set; } = string.Empty;

    /// <summary>The <c>session_id</c> (or <c>__session_id</c>) argument, raw.</summary>
    public string? SessionIdArgument { get; set; }

    /// <summary>The <c>Mcp-Session-Id</c> or legacy SSE <c>sessionId</c>; null for stateless calls.</summary>
    public string? TransportSessionId { get; set; }

    public string? Owner { get; set; }

    public string? ClientAddress { get; set; }

    /// <summary>Credentials from <c>X-LNbits-Url</c>/<c>-Api-Key</c>/<c>-Auth-Method</c>: this request only, never stored.</summary>
    public LnbitsSettings? HeaderSettings { get; set; }

    /// <summary>The session this call uses, once resolved.</summary>
    public AppSession? Session { get; set; }

    /// <summary>True when <see cref="Session"/> came through the MCP transport binding.</summary>
    public bool BoundToTransport { get; set; }

    public string? SessionHint => Session?.Hint;

    /// <summary>The scopes of the OAuth access token this call came with (its connection is <see cref="Session"/>), or null without one.</summary>
    public IReadOnlyList<string>? OAuthScopes { get; set; }

    /// <summary>
    /// Set when the transport's session could not be looked up because the session store is down:
    /// tools that need no session still run; the others answer <c>service_unavailable</c>.
    /// </summary>
    public bool SessionStoreUnavailable { get; set; }
}
