namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Where sessions live: Redis (shared by every instance) or in process (one instance). Every read
/// refreshes the sliding idle expiry; an expired session is gone.
/// </summary>
public interface ISessionStore
{
    /// <summary>Creates a session. The returned raw id is handed to the user once and never stored.</summary>
    /// <exception cref="Mcp.ToolException">limit_exceeded when the owner or client address has too many sessions.</exception>
    Task<CreatedSession> CreateAsync(SessionCreation request, CancellationToken cancellationToken);

    /// <summary>The live session with this key (refreshing its expiry), or null.</summary>
    Task<AppSession?> FindAsync(string sessionKey, CancellationToken cancellationToken);

    /// <summary>The live session with this key, at least as current as <paramref name="freshness"/> asks (stores without copies: current).</summary>
    Task<AppSession?> FindAsync(string sessionKey, SessionFreshness freshness, CancellationToken cancellationToken) =>
        FindAsync(sessionKey, cancellationToken);

    /// <summary>The live session bound to an MCP transport session (refreshing both), or null.</summary>
    Task<AppSession?> FindByTransportAsync(string transportSessionId, CancellationToken cancellationToken);

    /// <summary>The live session bound to an MCP transport session, at least as current as <paramref name="freshness"/> asks.</summary>
    Task<AppSession?> FindByTransportAsync(string transportSessionId, SessionFreshness freshness, CancellationToken cancellationToken) =>
        FindByTransportAsync(transportSessionId, cancellationToken);

    /// <summary>Binds an MCP transport session to a session; the binding expires with the session.</summary>
    Task BindTransportAsync(string transportSessionId, string sessionKey, CancellationToken cancellationToken);

    /// <summary>Replaces a live session's data (its configuration); false when it has expired meanwhile.</summary>
    Task<bool> SaveAsync(AppSession session, CancellationToken cancellationToken);

    /// <summary>The number of live sessions (a metric).</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);
}

/// <param name="IdleTimeout">This session's idle timeout; null = <c>Sessions:IdleTimeout</c>. OAuth connections live as long as their refresh tokens.</param>
public sealed record SessionCreation(string? Owner, string? ClientAddress, TimeSpan? IdleTimeout = null);

public sealed record CreatedSession(string SessionId, AppSession Session, DateTimeOffset ExpiresAt);
