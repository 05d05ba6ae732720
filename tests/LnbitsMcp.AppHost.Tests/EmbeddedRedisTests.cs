using LnbitsMcp.AppHost.Redis;
using StackExchange.Redis;

namespace LnbitsMcp.AppHost.Tests;

public sealed class EmbeddedRedisTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EmbeddedGarnetServesSetGetExpireAndTtl()
    {
        using var server = EmbeddedGarnetServer.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}").WaitAsync(s_timeout);
        var database = connection.GetDatabase();

        Assert.True(await database.StringSetAsync("greeting", "hello").WaitAsync(s_timeout));
        Assert.Equal("hello", (string?)await database.StringGetAsync("greeting").WaitAsync(s_timeout));
        Assert.True(await database.KeyExpireAsync("greeting", TimeSpan.FromSeconds(100)).WaitAsync(s_timeout));
        var ttl = await database.KeyTimeToLiveAsync("greeting").WaitAsync(s_timeout);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));

        await database.StringSetAsync("short", "lived", TimeSpan.FromMilliseconds(300)).WaitAsync(s_timeout);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(await database.KeyExistsAsync("short").WaitAsync(s_timeout));
    }

    [Fact]
    public async Task RedisPingHealthCheckSeesTheEmbeddedServerAndNoServer()
    {
        using var server = EmbeddedGarnetServer.Start();
        var healthy = await new RedisPingHealthCheck(() => ("127.0.0.1", server.Port)).CheckHealthAsync(new()).WaitAsync(s_timeout);
        var freePort = EmbeddedGarnetServer.FreeTcpPort();
        var unhealthy = await new RedisPingHealthCheck(() => ("127.0.0.1", freePort)).CheckHealthAsync(new()).WaitAsync(s_timeout);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, healthy.Status);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, unhealthy.Status);
    }
}
