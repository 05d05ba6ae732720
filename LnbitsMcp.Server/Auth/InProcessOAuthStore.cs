using System.Collections.Concurrent;

namespace LnbitsMcp.Server.Auth;

/// <summary>The authorization server's state in this process: the standalone server without Redis (one instance).</summary>
public sealed class InProcessOAuthStore(TimeProvider time) : IOAuthStore
{
    private readonly ConcurrentDictionary<string, RegisteredClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset ExpiresAt)> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ConnectionRecord Record, DateTimeOffset ExpiresAt)> _connections = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task SaveClientAsync(RegisteredClient client, CancellationToken cancellationToken)
    {
        _clients[client.ClientId] = client;
        return Task.CompletedTask;
    }

    public Task<RegisteredClient?> FindClientAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.GetValueOrDefault(clientId));

    public Task PutOnceAsync(OneUseKind kind, string id, string json, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        _items[OAuthRedisKeys.OneUse(kind, id)] = (json, time.GetUtcNow() + lifetime);
        return Task.CompletedTask;
    }

    public Task<string?> PeekOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken) =>
        Task.FromResult(_items.TryGetValue(OAuthRedisKeys.OneUse(kind, id), out var item) && item.ExpiresAt > time.GetUtcNow() ? item.Value : null);

    public Task<string?> TakeOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken) =>
        Task.FromResult(_items.TryRemove(OAuthRedisKeys.OneUse(kind, id), out var item) && item.ExpiresAt > time.GetUtcNow() ? item.Value : null);

    public Task<bool> MarkCodeRedeemedAsync(string codeId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (key, item) in _items)
        {
            if (item.ExpiresAt <= now)
            {
                _items.TryRemove(KeyValuePair.Create(key, item));
            }
        }

        return Task.FromResult(_items.TryAdd(OAuthRedisKeys.RedeemedCode(codeId), ("1", now + lifetime)));
    }

    public Task SaveConnectionAsync(ConnectionRecord connection, TimeSpan idle, CancellationToken cancellationToken)
    {
        _connections[Key(connection.OwnerKey, connection.ConnectionKey)] = (connection, time.GetUtcNow() + idle);
        return Task.CompletedTask;
    }

    public Task<ConnectionRecord?> FindConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken) =>
        Task.FromResult(Live(Key(ownerKey, connectionKey)));

    public Task<bool> TouchConnectionAsync(string ownerKey, string connectionKey, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = Key(ownerKey, connectionKey);
            if (Live(key) is not { } record)
            {
                return Task.FromResult(false);
            }

            _connections[key] = (record with { LastUsedAt = now }, now + idle);
            return Task.FromResult(true);
        }
    }

    public Task<RefreshRotation> RotateRefreshAsync(string ownerKey, string connectionKey, string expected, string next, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = Key(ownerKey, connectionKey);
            if (Live(key) is not { } record)
            {
                return Task.FromResult(RefreshRotation.Gone);
            }

            if (record.RefreshId != expected)
            {
                _connections.TryRemove(key, out _);
                return Task.FromResult(RefreshRotation.Reused);
            }

            _connections[key] = (record with { RefreshId = next, LastUsedAt = now }, now + idle);
            return Task.FromResult(RefreshRotation.Rotated);
        }
    }

    public Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(string ownerKey, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ConnectionRecord>>([.. _connections.Keys
            .Select(Live)
            .OfType<ConnectionRecord>()
            .Where(c => c.OwnerKey == ownerKey)
            .OrderByDescending(c => c.CreatedAt)]);

    public Task<bool> DeleteConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.TryRemove(Key(ownerKey, connectionKey), out _));

    private ConnectionRecord? Live(string key)
    {
        if (!_connections.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt > time.GetUtcNow())
        {
            return entry.Record;
        }

        _connections.TryRemove(KeyValuePair.Create(key, entry));
        return null;
    }

    private static string Key(string ownerKey, string connectionKey) => ownerKey + "/" + connectionKey;
}
