using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LnbitsMcp.AppHost.Redis;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>The whole app with no container at all: Redis is Debian's redis-server, run by the orchestrator.</summary>
[Collection(AppHostCollection.Name)]
public sealed class WholeAppWithRedisServerTests(RedisServerAppFixture fixture)
    : WholeAppTests(fixture), IClassFixture<RedisServerAppFixture>
{
    [Fact]
    public void RedisIsARedisServerProcessNotAContainer()
    {
        var redis = RedisResource();

        Assert.False(redis.IsContainer());
        Assert.IsType<RedisServerResource>(redis);
    }
}
