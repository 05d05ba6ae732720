namespace LnbitsMcp.Edge.RateLimiting;

/// <summary>
/// How many token buckets the rate limiter has created, by kind (<c>session</c>, <c>unknown-session</c>,
/// <c>new</c>, <c>address</c>): the limiter keeps one bucket per partition key while it is in use, so this
/// shows what requests can make it hold. Per-session buckets exist only for sessions the edge routes.
/// </summary>
public sealed class RateLimitPartitionCounter
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);

    public long CreatedOfKind(string kind) => _byKind.TryGetValue(kind, out var count) ? count : 0;

    internal void Created(string partitionKey)
    {
        var kind = partitionKey[..Math.Max(0, partitionKey.IndexOf(':', StringComparison.Ordinal))];
        _byKind.AddOrUpdate(kind, 1, (_, count) => count + 1);
    }
}
