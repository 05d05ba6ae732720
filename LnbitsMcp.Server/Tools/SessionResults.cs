using System.Globalization;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public sealed record CreateSessionResult(string SessionId, DateTimeOffset ExpiresAt, long IdleTimeoutSeconds) : IToolResult
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"Created a session. Pass session_id to every tool; it expires after {IdleTimeoutSeconds / 60} idle minutes.");
}

public sealed record SessionInfoResult(
    string SessionHint,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastAccessedAt,
    DateTimeOffset ExpiresAt,
    bool IsConfigured,
    bool BoundToTransport,
    string Replica,
    string? Auth = null,
    IReadOnlyList<string>? Scopes = null) : IToolResult
{
    public string Summary() =>
        $"Session {SessionHint} ({(IsConfigured ? "LNbits configured" : "LNbits not configured")}), answered by {Replica}.";
}
