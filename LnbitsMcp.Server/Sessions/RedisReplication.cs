using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Writes that must survive a failover. Redis replicates asynchronously: a master that dies right
/// after acknowledging a write can lose it when its replica takes over. After the writes that must not
/// be lost (a payment reservation, a new session or its configuration, a transport binding) we ask
/// the key's master to <c>WAIT</c> until one replica holds them. Without replicas (one node) there is
/// nothing to wait for: durability there is the append-only file.
/// </summary>
public static class RedisReplication
{
    /// <summary>How long a write waits for a replica before going on without (a replica far behind or gone).</summary>
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly ConditionalWeakTable<IConnectionMultiplexer, ConcurrentDictionary<EndPoint, ReplicaWaitQueue>> s_queues = [];

    /// <summary>
    /// Waits until a replica of the master of <paramref name="key"/> acknowledged every write sent to it
    /// so far (on this connection, which carries all of this process's commands to that node). True
    /// when replicated or when there is no replica to wait for; false after <see cref="WaitTimeout"/>.
    /// Concurrent callers share <c>WAIT</c>s (<see cref="ReplicaWaitQueue"/>).
    /// </summary>
    /// <exception cref="RedisException">the master cannot be reached: the write may be lost.</exception>
    public static async Task<bool> WaitForReplicaAsync(this IConnectionMultiplexer redis, RedisKey key)
    {
        var server = redis.GetServer(key);
        if (!KnowsHealthyReplica(server, key))
        {
            return true;
        }

        var queues = s_queues.GetValue(redis, static _ => new ConcurrentDictionary<EndPoint, ReplicaWaitQueue>());
        return await queues.GetOrAdd(server.EndPoint, static (_, master) => new ReplicaWaitQueue(master, WaitTimeout), server).WaitAsync();
    }

    /// <summary>
    /// Whether this connection's view of the cluster has a healthy replica of <paramref name="key"/>'s master: only
    /// then does <see cref="WaitForReplicaAsync"/> wait (the view refreshes with the connection's configuration).
    /// </summary>
    internal static bool KnowsHealthyReplica(this IConnectionMultiplexer redis, RedisKey key) => KnowsHealthyReplica(redis.GetServer(key), key);

    private static bool KnowsHealthyReplica(IServer server, RedisKey key) =>
        server.ServerType == ServerType.Cluster
        && server.ClusterConfiguration?.GetBySlot(key) is { } master
        && master.Children.Any(replica => !replica.IsFail && !replica.IsPossiblyFail);
}
