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
    public bool Knows(string sessionKey) => _routes.TryGetValue(sessionKey, out var entry) && entry.IsLiveAt(time.GetUtcNow());

    /// <summary>
    /// The session's instance, sliding its route; a hit in memory completes synchronously and allocates nothing
    /// (it runs on every request), Redis is asked on a miss and reminded of the route once per
    /// <see cref="RoutingOptions.RedisRefreshInterval"/>.
    /// </summary>
    public ValueTask<string?> FindAsync(string sessionKey)
    {
        var now = time.GetUtcNow();
        if (_routes.TryGetValue(sessionKey, out var entry) && entry.IsLiveAt(now))
        {
            entry.Slide(now + Lifetime);
            EdgeMetrics.RouteLookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            return entry.TryClaimRedisRefresh(now, options.Value.RedisRefreshInterval) && redis is not null
                ? RefreshInRedisAsync(sessionKey, entry.DestinationId)
                : new ValueTask<string?>(entry.DestinationId);
        }

        return FindInRedisAsync(sessionKey, now);
    }

    private async ValueTask<string?> RefreshInRedisAsync(string sessionKey, string destinationId)
    {
        await TryRedisAsync(db => db.KeyExpireAsync(RedisPrefix + sessionKey, Lifetime));
        return destinationId;
    }

    private async ValueTask<string?> FindInRedisAsync(string sessionKey, DateTimeOffset now)
    {
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
        if (_routes.TryGetValue(sessionKey, out var existing) && existing.DestinationId == destinationId && existing.IsLiveAt(now))
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
            if (!entry.IsLiveAt(now))
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

    /// <summary>A route; its expiry slides in place (no new entry per request).</summary>
    private sealed class Entry(string destinationId, DateTimeOffset expiresAt, DateTimeOffset redisRefreshedAt)
    {
        private long _expiresAtTicks = expiresAt.UtcTicks;
        private long _redisRefreshedAtTicks = redisRefreshedAt.UtcTicks;

        public string DestinationId { get; } = destinationId;

        public bool IsLiveAt(DateTimeOffset now) => Volatile.Read(ref _expiresAtTicks) > now.UtcTicks;

        public void Slide(DateTimeOffset expiresAt) => Volatile.Write(ref _expiresAtTicks, expiresAt.UtcTicks);

        /// <summary>True for one caller once the interval has passed since Redis was last reminded.</summary>
        public bool TryClaimRedisRefresh(DateTimeOffset now, TimeSpan interval)
        {
            var last = Volatile.Read(ref _redisRefreshedAtTicks);
            return now.UtcTicks - last > interval.Ticks
                && Interlocked.CompareExchange(ref _redisRefreshedAtTicks, now.UtcTicks, last) == last;
        }
    }
}
