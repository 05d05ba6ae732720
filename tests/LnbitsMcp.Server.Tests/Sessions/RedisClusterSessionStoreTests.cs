using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>One Redis Cluster (3 masters + 3 replicas) for the store, ledger and token contracts; no server process uses it.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterStores : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster: stores";
}

/// <summary>The session store contract on a Redis Cluster: every script stays in one hash slot.</summary>
[Collection(RedisClusterStores.Name)]
public sealed class RedisClusterSessionStoreTests(RedisClusterFixture fixture) : SessionStoreContract
{
    private readonly IDataProtectionProvider _dataProtection = DataProtectionProvider.Create("lnbits-mcp-tests");
    private ConnectionMultiplexer _connection = null!;

    public override async ValueTask InitializeAsync()
    {
        await fixture.Cluster.FlushAsync(); // the count test counts every session of the cluster
        _connection = await fixture.Cluster.ConnectAsync();
    }

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    protected override Task<ISessionStore> CreateStoreAsync(SessionsOptions options) =>
        Task.FromResult<ISessionStore>(new RedisSessionStore(_connection, new SessionDocumentSerializer(_dataProtection), TimeProvider.System, Options.Create(options)));

    [Fact]
    public async Task SessionsSpreadOverEveryMasterAndEachSessionsKeysShareOneSlot()
    {
        var store = await CreateStoreAsync(new SessionsOptions());
        var created = new List<CreatedSession>();
        for (var i = 0; i < 24; i++)
        {
            var session = await store.CreateAsync(new SessionCreation($"owner-{i}", $"10.9.0.{i}"), default);
            await store.BindTransportAsync($"transport-{i}", session.Session.Key, default);
            created.Add(session);
        }

        var keys = await fixture.Cluster.KeysAsync();
        var masters = new HashSet<int>();
        foreach (var session in created)
        {
            masters.Add((await fixture.Cluster.MasterOfAsync(RedisKeys.Session(session.Session.Key))).Port);
        }

        Assert.Equal(3, masters.Count);
        Assert.All(keys, key => Assert.StartsWith(RedisKeys.Prefix + "{", key, StringComparison.Ordinal));
        Assert.Equal(RedisCluster.ClusterSlot(RedisKeys.Transport("transport-1")), RedisCluster.ClusterSlot(RedisKeys.McpSession("transport-1")));
        Assert.Equal(created[1].Session.Key, (await store.FindByTransportAsync("transport-1", default))?.Key);
    }
}
