using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Configuration;

namespace LnbitsMcp.Server.Sessions;

public sealed class SessionsOptions
{
    public const string SectionName = "Sessions";

    /// <summary>Sliding idle expiry: a session unused this long is gone.</summary>
    [TimeSpanRange("00:00:01", "30.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Live sessions one authenticated principal may hold.</summary>
    [Range(1, 100_000)]
    public int MaxPerOwner { get; set; } = 20;

    /// <summary>Live sessions one client address may create (anonymous or not).</summary>
    [Range(1, 100_000)]
    public int MaxPerClientAddress { get; set; } = 100;

    /// <summary>Live MCP transport sessions (Mcp-Session-Id, legacy SSE connections) one client address may hold on one instance.</summary>
    [Range(1, 100_000)]
    public int MaxTransportSessionsPerClientAddress { get; set; } = 100;
}
