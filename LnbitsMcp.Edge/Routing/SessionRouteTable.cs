using System.Collections.Concurrent;

namespace LnbitsMcp.Edge.Routing;

/// <summary>Session → destination routes, learned from handshakes, with a sliding lifetime.</summary>
public sealed class SessionRouteTable(TimeProvider time, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, Entry> _routes = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = configuration.GetValue("Routing:SessionRouteLifetime", TimeSpan.FromMinutes(60));

    public int Count => _routes.Count;

    public string? Find(string sessionKey)
    {
        if (!_routes.TryGetValue(sessionKey, out var entry))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (entry.ExpiresAt <= now)
        {
            _routes.TryRemove(KeyValuePair.Create(sessionKey, entry));
            return null;
        }

        _routes[sessionKey] = entry with { ExpiresAt = now + _lifetime };
        return entry.DestinationId;
    }

    public void Record(string sessionKey, string destinationId) =>
        _routes[sessionKey] = new Entry(destinationId, time.GetUtcNow() + _lifetime);

    public void Forget(string sessionKey) => _routes.TryRemove(sessionKey, out _);

    public void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _routes)
        {
            if (entry.ExpiresAt <= now)
            {
                _routes.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private sealed record Entry(string DestinationId, DateTimeOffset ExpiresAt);
}
