using Xunit;

namespace LnbitsMcp.Testing;

/// <summary>One <see cref="RedisCluster"/> (3 masters + 3 replicas) shared by a test class or collection.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await RedisCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
