using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>A Redis Cluster (3 masters + 3 replicas), the LNbits sandbox and two server processes on the cluster.</summary>
public sealed class RedisClusterServers : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public Sandbox Sandbox { get; private set; } = null!;

    public ServiceProcess A { get; private set; } = null!;

    public ServiceProcess B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var cluster = RedisCluster.StartAsync();
        var sandbox = Sandbox.StartAsync();
        (Cluster, Sandbox) = (await cluster, await sandbox);
        // Every stream message to Redis at once, so that the resumable-stream contract can resume a quick answer elsewhere.
        var settings = SharedSessionContract.Limits.Append(new(ResumableStreamContract.StoreAfterKey, "00:00:00")).ToDictionary();
        var started = await Task.WhenAll(
            ServerReplicas.StartAsync("replica-a", Cluster, settings),
            ServerReplicas.StartAsync("replica-b", Cluster, settings));
        (A, B) = (started[0], started[1]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in new[] { A, B }.Where(server => server is not null))
        {
            await server.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterServersCollection : ICollectionFixture<RedisClusterServers>
{
    public const string Name = "Redis Cluster: two server processes";
}

/// <summary>The shared-session contract with both instances on a Redis Cluster.</summary>
[Collection(RedisClusterServersCollection.Name)]
public sealed class SharedSessionOnRedisClusterTests(RedisClusterServers stack) : SharedSessionContract
{
    protected override IRedisDeployment Redis => stack.Cluster;

    protected override Sandbox Sandbox => stack.Sandbox;

    protected override ServiceProcess A => stack.A;

    protected override ServiceProcess B => stack.B;
}

/// <summary>Resumable event streams (the distributed cache) on a Redis Cluster.</summary>
[Collection(RedisClusterServersCollection.Name)]
public sealed class ResumableStreamOnRedisClusterTests(RedisClusterServers stack) : ResumableStreamContract
{
    protected override ServiceProcess A => stack.A;

    protected override ServiceProcess B => stack.B;
}
