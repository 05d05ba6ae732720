using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>
/// Instances that start together on an empty Redis agree on one Data Protection key (before, two of five starts of
/// three servers left two keys, and an instance that knew only its own could not open what another sealed). Each
/// "instance" here is a host of its own, with its own connection, started as the server starts its hosted services.
/// </summary>
public sealed class DataProtectionKeyAgreementTests : IAsyncLifetime
{
    private const int Instances = 4;

    private StartedRedisServer _redis = null!;

    private IDatabase Redis => _redis.Connection.GetDatabase();

    public async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task InstancesStartedTogetherOnAnEmptyRedisUseOneKeyAndOpenWhatEachOtherSealed()
    {
        for (var round = 0; round < 5; round++)
        {
            await Redis.KeyDeleteAsync(RedisKeys.DataProtectionKeys);
            var instances = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => Task.Run(StartInstanceAsync)));
            try
            {
                Assert.Equal(1, await Redis.ListLengthAsync(RedisKeys.DataProtectionKeys));
                for (var sealer = 0; sealer < Instances; sealer++)
                {
                    var sealedText = Protector(instances[sealer]).Protect($"sealed by {sealer}");
                    foreach (var opener in instances)
                    {
                        Assert.Equal($"sealed by {sealer}", Protector(opener).Unprotect(sealedText));
                    }
                }

                Assert.False(await Redis.KeyExistsAsync(RedisKeys.DataProtectionKeysLock));
            }
            finally
            {
                await StopAsync(instances);
            }
        }
    }

    [Fact]
    public async Task AnInstanceWaitsForTheLockAndThenUsesTheKeyItsHolderCreated()
    {
        await Redis.KeyDeleteAsync(RedisKeys.DataProtectionKeys);
        var first = await StartInstanceAsync();
        var sealedByFirst = Protector(first).Protect("first");
        Assert.True(await Redis.LockTakeAsync(RedisKeys.DataProtectionKeysLock, "another instance", TimeSpan.FromMinutes(1)));

        var second = Task.Run(StartInstanceAsync);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(second.IsCompleted);
        await Redis.LockReleaseAsync(RedisKeys.DataProtectionKeysLock, "another instance");
        var started = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("first", Protector(started).Unprotect(sealedByFirst));
        Assert.Equal(1, await Redis.ListLengthAsync(RedisKeys.DataProtectionKeys));
        await StopAsync([first, started]);
    }

    [Fact]
    public async Task AnInstanceStartsWhileRedisIsDown()
    {
        await using var stopped = await RedisServer.StartAsync();
        await stopped.StopAsync();

        var logs = new CapturedLogs();

        var instance = await Task.Run(() => StartInstanceAsync(stopped.ConnectionString + ",connectTimeout=1000,asyncTimeout=1000,syncTimeout=1000", logs))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains(logs.Lines, line => line.StartsWith("Data Protection key agreement: skipped, Redis did not answer", StringComparison.Ordinal));
        await StopAsync([instance]);
    }

    private Task<IHost> StartInstanceAsync() => StartInstanceAsync(_redis.Server.ConnectionString);

    private static async Task<IHost> StartInstanceAsync(string redis, CapturedLogs? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(logging => logging.AddProvider(logs ?? new CapturedLogs()));
        var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        builder.Services.AddRedisDataProtection();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static IDataProtector Protector(IHost instance) =>
        instance.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("agreement test");

    private static async Task StopAsync(IEnumerable<IHost> instances)
    {
        foreach (var instance in instances)
        {
            await instance.StopAsync();
            await instance.Services.GetRequiredService<IConnectionMultiplexer>().DisposeAsync();
            instance.Dispose();
        }
    }
}
