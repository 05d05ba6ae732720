using System.Collections.Concurrent;
using LnbitsMcp.Edge.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Session → instance routes with a sliding lifetime: in memory, and in Redis when configured so
/// that every edge instance (and a restarted edge) routes a session the same way. Redis trouble
/// (a node down, a cluster slot without a master, a timeout) never stops routing: the edge then
/// routes from memory and logs. One key per route, used by single-key commands only, so it works on
/// a Redis Cluster as on one node.
/// </summary>
public sealed partial class SessionRouter(
    TimeProvider time,
    IOptions<RoutingOptions> options,
    ILogger<SessionRouter> logger,
    IConnectionMultiplexer? redis = null)
{
    private const string RedisPrefix = "lnbits-mcp:edge-route:";
    private readonly ConcurrentDictionary<string, Entry> _routes = new(StringComparer.Ordinal);

    private TimeSpan Lifetime => options.Value.SessionRouteLifetime;

    public int Count => _routes.Count;

    /// <summary>True when this edge holds a live route for the session in memory (no Redis call: used on every request).</summary>
    public bool Knows(string sessionKey) => _routes.TryGetValue(sessionKey, out var entry) && entry.ExpiresAt > time.GetUtcNow();

    public async ValueTask<string?> FindAsync(string sessionKey)
    {
        var now = time.GetUtcNow();
        if (_routes.TryGetValue(sessionKey, out var entry) && entry.ExpiresAt > now)
        {
            var refreshRedis = now - entry.RedisRefreshedAt > options.Value.RedisRefreshInterval;
            _routes[sessionKey] = entry with { ExpiresAt = now + Lifetime, RedisRefreshedAt = refreshRedis ? now : entry.RedisRefreshedAt };
            if (refreshRedis)
            {
                await TryRedisAsync(db => db.KeyExpireAsync(RedisPrefix + sessionKey, Lifetime));
            }

            EdgeMetrics.RouteLookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            return entry.DestinationId;
        }

        string? destination = null;
        await TryRedisAsync(async db => destination = await db.StringGetSetExpiryAsync(RedisPrefix + sessionKey, Lifetime));
        if (destination is not null)
        {
            _routes[sessionKey] = new Entry(destination, now + Lifetime, now);
            EdgeMetrics.RouteLookups.Add(1, new KeyValuePair<string, object?>("result", "hit_redis"));
            return destination;
        }

        EdgeMetrics.RouteLookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
        return null;
    }

    public async ValueTask RecordAsync(string sessionKey, string destinationId)
    {
        var now = time.GetUtcNow();
        if (_routes.TryGetValue(sessionKey, out var existing) && existing.DestinationId == destinationId && existing.ExpiresAt > now)
        {
            return;
        }

        _routes[sessionKey] = new Entry(destinationId, now + Lifetime, now);
        await TryRedisAsync(db => db.StringSetAsync(RedisPrefix + sessionKey, destinationId, Lifetime));
    }

    public async ValueTask ForgetAsync(string sessionKey)
    {
        _routes.TryRemove(sessionKey, out _);
        await TryRedisAsync(db => db.KeyDeleteAsync(RedisPrefix + sessionKey));
    }

    /// <summary>Drops expired in-memory routes (called periodically).</summary>
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

    private async Task TryRedisAsync(Func<IDatabase, Task> operation)
    {
        if (redis is null)
        {
            return;
        }

        try
        {
            await operation(redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            LogRedisUnavailable(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session routes are served from memory only: Redis failed ({ErrorType})")]
    private static partial void LogRedisUnavailable(ILogger logger, string errorType);

    private sealed record Entry(string DestinationId, DateTimeOffset ExpiresAt, DateTimeOffset RedisRefreshedAt);
}
