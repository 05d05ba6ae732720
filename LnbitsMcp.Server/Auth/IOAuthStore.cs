namespace LnbitsMcp.Server.Auth;

/// <summary>The kinds of one-use items the authorization server keeps.</summary>
public enum OneUseKind
{
    ConsentTicket,
    SessionLink,
}

/// <summary>
/// The authorization server's shared state: registered clients, one-use items (consent tickets,
/// session links, redeemed authorization codes) and connections. In Redis every instance sees the
/// same state at once (a revoked connection is gone for the next read anywhere; how often a request
/// reads it: <see cref="ConnectionLiveness"/>); without Redis it lives in this process (one instance).
/// </summary>
public interface IOAuthStore
{
    Task SaveClientAsync(RegisteredClient client, CancellationToken cancellationToken);

    Task<RegisteredClient?> FindClientAsync(string clientId, CancellationToken cancellationToken);

    Task PutOnceAsync(OneUseKind kind, string id, string json, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Reads an item without using it up.</summary>
    Task<string?> PeekOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken);

    /// <summary>Returns the item and deletes it in one step: a second take gets null.</summary>
    Task<string?> TakeOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken);

    /// <summary>Marks an authorization code redeemed; false when it already was (a replay).</summary>
    Task<bool> MarkCodeRedeemedAsync(string codeId, TimeSpan lifetime, CancellationToken cancellationToken);

    Task SaveConnectionAsync(ConnectionRecord connection, TimeSpan idle, CancellationToken cancellationToken);

    Task<ConnectionRecord?> FindConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken);

    /// <summary>Records a use of a live connection and restarts its idle time (a store may write that at most every few seconds); false when it is gone (revoked or expired).</summary>
    Task<bool> TouchConnectionAsync(string ownerKey, string connectionKey, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the connection's current refresh token from <paramref name="expected"/> to <paramref name="next"/>.
    /// A refresh token presented twice means it leaked: the connection is revoked and the result is <see cref="RefreshRotation.Reused"/>.
    /// </summary>
    Task<RefreshRotation> RotateRefreshAsync(string ownerKey, string connectionKey, string expected, string next, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(string ownerKey, CancellationToken cancellationToken);

    /// <summary>Revokes a connection (every token of it stops working); false when the owner has no such connection.</summary>
    Task<bool> DeleteConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken);
}

public enum RefreshRotation
{
    Rotated,
    Reused,
    Gone,
}
