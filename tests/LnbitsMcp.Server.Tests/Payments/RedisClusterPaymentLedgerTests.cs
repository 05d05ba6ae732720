using System.Globalization;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tests.Sessions;
using LnbitsMcp.Testing;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>The ledger contract on a Redis Cluster, and what replication adds: a reservation is on a replica before it is returned.</summary>
[Collection(RedisClusterStores.Name)]
public sealed class RedisClusterPaymentLedgerTests(RedisClusterFixture fixture) : PaymentLedgerContract
{
    private RedisInstanceConnections _instances = null!;

    private ConnectionMultiplexer Connection => _instances.First;

    public override async ValueTask InitializeAsync() => _instances = await RedisInstanceConnections.OpenAsync(fixture.Cluster.ConnectAsync);

    public override async ValueTask DisposeAsync() => await _instances.DisposeAsync();

    protected override Task<IPaymentLedger> CreateLedgerAsync() => Task.FromResult<IPaymentLedger>(new RedisPaymentLedger(Connection));

    protected override async Task<IPaymentLedger> CreateLedgerOfAnotherInstanceAsync() => new RedisPaymentLedger(await _instances.AnotherAsync());

    [Fact]
    public async Task AReservationIsReturnedOnlyOnceAReplicaAcknowledgedIt()
    {
        var ledger = new RedisPaymentLedger(Connection);
        var ledgerKey = Guid.NewGuid().ToString();
        var master = await fixture.Cluster.MasterOfAsync(RedisKeys.Budget(ledgerKey));
        var replica = (await fixture.Cluster.ReplicasOfAsync(master)).Single();
        await ReplicaInSyncAsync(master); // the shared cluster's replica may still be resyncing after an earlier test (it then reports offset 0)
        await ConnectionSeesReplicaAsync(RedisKeys.Budget(ledgerKey));
        var offsetBefore = await MasterOffsetAsync(master);

        // The replica stops answering for 300 ms: a reservation that did not wait would be back long before it acknowledges.
        var sleeping = RedisProcess.CliAsync(replica.Port, "debug", "sleep", "0.3");
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var decision = await ledger.ReserveAsync(new ReservationRequest(ledgerKey, "hash-replicated", 1000, 1_000_000, 100, DateTimeOffset.UtcNow), default);
        var acknowledged = await ReplicaAcknowledgedOffsetAsync(master);
        await sleeping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsType<LedgerDecision.Reserved>(decision);
        Assert.True(acknowledged > offsetBefore, $"the replica acknowledged offset {acknowledged}, the master was at {offsetBefore} before the reservation");
        Assert.True(await Connection.GetDatabase().SetContainsAsync(RedisKeys.PaidHashes(ledgerKey), "hash-replicated", CommandFlags.DemandReplica));
    }

    [Fact]
    public async Task ConcurrentReservationsShareTheirWaitsForTheReplica()
    {
        var ledger = new RedisPaymentLedger(Connection);
        var ledgerKey = Guid.NewGuid().ToString();
        var master = await fixture.Cluster.MasterOfAsync(RedisKeys.Budget(ledgerKey));
        await ConnectionSeesReplicaAsync(RedisKeys.Budget(ledgerKey));
        var waitsBefore = await WaitCallsAsync(master);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            ledger.ReserveAsync(new ReservationRequest(ledgerKey, $"hash-{i}", 1000, 1_000_000, 100, DateTimeOffset.UtcNow), default)));
        var waits = await WaitCallsAsync(master) - waitsBefore;

        Assert.All(decisions, decision => Assert.IsType<LedgerDecision.Reserved>(decision));
        // One WAIT per reservation would block the master's connection 50 times in a row (what made payments time out under load).
        Assert.InRange(waits, 1, 25);
        foreach (var i in new[] { 0, 49 })
        {
            Assert.True(await Connection.GetDatabase().SetContainsAsync(RedisKeys.PaidHashes(ledgerKey), $"hash-{i}", CommandFlags.DemandReplica));
        }
    }

    /// <summary>How many <c>WAIT</c>s the master ran (<c>cmdstat_wait:calls=N,…</c>; absent before the first).</summary>
    private static async Task<long> WaitCallsAsync(RedisCluster.Node master)
    {
        var stats = (await RedisProcess.InfoAsync(master.Port, "commandstats")).GetValueOrDefault("cmdstat_wait");
        return stats is null ? 0 : long.Parse(stats.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture);
    }

    private static async Task<long> MasterOffsetAsync(RedisCluster.Node master) =>
        long.Parse((await RedisProcess.InfoAsync(master.Port, "replication"))["master_repl_offset"], CultureInfo.InvariantCulture);

    /// <summary>Waits (up to 30 s) until the master's replica is online and has acknowledged everything the master holds.</summary>
    private static async Task ReplicaInSyncAsync(RedisCluster.Node master)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var replication = await RedisProcess.InfoAsync(master.Port, "replication");
            var replica = replication.GetValueOrDefault("slave0") ?? string.Empty;
            if (replica.Contains("state=online", StringComparison.Ordinal) && await ReplicaAcknowledgedOffsetAsync(master) >= await MasterOffsetAsync(master))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the replica of {master.Port} is not in sync after 30 s: {replica}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits (up to 30 s) until this test's connection sees a healthy replica of <paramref name="key"/>'s master. The
    /// ledger waits only for replicas its connection knows of (<see cref="RedisReplication.KnowsHealthyReplica"/>), and a
    /// connection opened right after the shared cluster was created can hold a view in which the replica is not attached
    /// yet, or is still flagged as failing: its reservation is then returned at once.
    /// </summary>
    private async Task ConnectionSeesReplicaAsync(RedisKey key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Connection.KnowsHealthyReplica(key))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"after 30 s the connection still sees no healthy replica of the master of slot {Connection.HashSlot(key)}");
            }

            await Task.Delay(100);
            await Connection.ConfigureAsync();
        }
    }

    /// <summary>What the master knows its replica acknowledged (<c>slave0:…,offset=N,…</c>).</summary>
    private static async Task<long> ReplicaAcknowledgedOffsetAsync(RedisCluster.Node master)
    {
        var line = (await RedisProcess.InfoAsync(master.Port, "replication"))["slave0"];
        var offset = line.Split(',').Single(part => part.StartsWith("offset=", StringComparison.Ordinal));
        return long.Parse(offset["offset=".Length..], CultureInfo.InvariantCulture);
    }
}

[Collection(RedisClusterStores.Name)]
public sealed class RedisClusterConfirmationTokenTests(RedisClusterFixture fixture) : ConfirmationTokensContract
{
    private ConnectionMultiplexer _connection = null!;

    protected override IConfirmationTokens Tokens => new RedisConfirmationTokens(_connection);

    public override async ValueTask InitializeAsync() => _connection = await fixture.Cluster.ConnectAsync();

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
