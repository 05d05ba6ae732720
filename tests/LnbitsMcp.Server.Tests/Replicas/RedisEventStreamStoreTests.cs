using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>
/// Events are stored only where a stream can be resumed from them: the priming event is not stored; a
/// young stream's messages stay in the answering instance's memory (a quick answer costs no Redis write
/// and is resumed there); a stream open longer than <see cref="RedisEventStreamStore.StoreAfter"/> (or every
/// stream, with zero) is one encrypted hash in Redis with an expiry, the answer marking it complete, and
/// any instance replays it, also when its answer comes after the client came back.
/// </summary>
#pragma warning disable MCP9006 // the event stream store API is the SDK's stateful-mode API
public sealed class EventsAreStoredOnlyWhereAStreamCanBeResumed : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly IDataProtectionProvider _dataProtection = DataProtectionProvider.Create("lnbits-mcp-tests");
    private StartedRedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private RedisEventStreamStore Store(StackExchange.Redis.IConnectionMultiplexer connection, TimeSpan? storeAfter = null) =>
        new(connection, _dataProtection, TimeProvider.System, NullLogger<RedisEventStreamStore>.Instance, storeAfter);

    /// <summary>A store that writes every message to Redis at once (<c>EventStreams:StoreAfter</c> = 0).</summary>
    private RedisEventStreamStore DurableStore(StackExchange.Redis.IConnectionMultiplexer connection) => Store(connection, TimeSpan.Zero);

    private static SseEventStreamOptions Stream(string sessionId, string streamId) =>
        new() { SessionId = sessionId, StreamId = streamId, Mode = SseEventStreamMode.Streaming };

    /// <summary>What the SDK writes first on a POST stream: an event without data.</summary>
    private static SseItem<JsonRpcMessage?> Priming() => new(null, "prime");

    private static SseItem<JsonRpcMessage?> Answer(int id, string text) =>
        new(new JsonRpcResponse { Id = new RequestId(id), Result = new JsonObject { ["text"] = text } }, "message");

    [Fact]
    public async Task ThePrimingEventIsNotStoredAndTheAnswerIsOneEncryptedHashThatExpires()
    {
        var store = DurableStore(_redis.Connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-secret-1", "7"));

        var priming = await writer.WriteEventAsync(Priming()).AsTask().WaitAsync(s_timeout);
        Assert.NotNull(priming.EventId);
        Assert.Empty(await _redis.Server.DumpAsync());

        await writer.WriteEventAsync(Answer(7, "preimage-abcdef0123456789")).AsTask().WaitAsync(s_timeout);
        await writer.DisposeAsync();

        var keys = _redis.Connection.GetServers()[0].Keys(pattern: "lnbits-mcp:{stream:*").ToList();
        var key = Assert.Single(keys);
        var fields = (await _redis.Connection.GetDatabase().HashGetAllAsync(key)).Select(f => (string)f.Name!).Order().ToList();
        Assert.Equal(["2", "c"], fields); // the answer (sequence 2, after the priming event) and "complete"
        var ttl = await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), RedisEventStreamStore.Retention);
        var dump = string.Join("\n", await _redis.Server.DumpAsync());
        Assert.DoesNotContain("preimage-abcdef0123456789", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("mcp-session-secret-1", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("mcp-session-secret-1", priming.EventId, StringComparison.Ordinal); // event ids carry the session encrypted
    }

    [Fact]
    public async Task AnotherInstanceReplaysWhatCameAfterTheLastEventIdAndStopsAtTheAnswer()
    {
        await using var otherConnection = await _redis.Server.ConnectAsync();
        var writer = await DurableStore(_redis.Connection).CreateStreamAsync(Stream("mcp-session-2", "8"));
        var priming = await writer.WriteEventAsync(Priming());
        var progress = new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 1 } }, "message");
        await writer.WriteEventAsync(progress);
        await writer.WriteEventAsync(Answer(8, "done"));

        var reader = await DurableStore(otherConnection).GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout);

        Assert.NotNull(reader);
        Assert.Equal("mcp-session-2", reader.SessionId);
        Assert.Equal("8", reader.StreamId);
        var replayed = await ReadAllAsync(reader);
        Assert.Equal(2, replayed.Count);
        Assert.IsType<JsonRpcNotification>(replayed[0].Data);
        Assert.Equal("done", ((JsonRpcResponse)replayed[1].Data!).Result!["text"]!.GetValue<string>());
        Assert.Single(await ReadAllAsync((await DurableStore(otherConnection).GetStreamReaderAsync(replayed[0].EventId!))!)); // from the progress event on
    }

    [Fact]
    public async Task AQuickAnswerCostsNoRedisWriteAndIsResumedOnTheInstanceThatGaveIt()
    {
        await using var otherConnection = await _redis.Server.ConnectAsync();
        using var store = Store(_redis.Connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-4", "10"));
        var priming = await writer.WriteEventAsync(Priming());
        await writer.WriteEventAsync(Answer(10, "preimage-quick-0123"));
        await writer.DisposeAsync();

        Assert.Empty(await _redis.Server.DumpAsync()); // nothing written to Redis
        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal("preimage-quick-0123", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
        Assert.Equal(priming.EventId![..priming.EventId!.LastIndexOf('.')] + ".2", replayed[0].EventId);

        // Another instance has nothing of it: its reader ends (once the stream is too old to be moving to Redis), empty.
        using var other = Store(otherConnection);
        var elsewhere = await other.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout);
        Assert.Empty(elsewhere is null ? [] : await ReadAllAsync(elsewhere));
    }

    [Fact]
    public async Task AQuickAnswerIsKeptAsTheBytesTheSdkWroteNotSerializedAgain()
    {
        using var store = Store(_redis.Connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-8", "13"));
        var priming = await writer.WriteEventAsync(Priming());
        var answer = await writer.WriteEventAsync(Answer(13, "as-stored"));
        store.Sent(Frame(priming.EventId!, "")); // the priming event carries no message: nothing to take
        store.Sent(Frame(answer.EventId![..^1] + "9", """{"jsonrpc":"2.0","id":13,"result":{"text":"other-event"}}""")); // no such event
        store.Sent(Frame(answer.EventId!, """{"jsonrpc":"2.0","id":13,"result":{"text":"as-sent"}}"""));
        store.Sent(Frame(answer.EventId!, """{"jsonrpc":"2.0","id":13,"result":{"text":"sent-twice"}}""")); // the first bytes stay
        await writer.DisposeAsync();

        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);

        var item = Assert.Single(replayed);
        Assert.Equal("as-sent", ((JsonRpcResponse)item.Data!).Result!["text"]!.GetValue<string>());
        Assert.Equal(answer.EventId, item.EventId);
        Assert.Equal("message", item.EventType);
    }

    [Fact]
    public async Task AQuickAnswerOverwrittenAmongTheKeptAnswersIsNoLongerResumedWhileLaterAndLongAnswersAre()
    {
        // A block of 4 KB: answers of up to 512 bytes go there, a longer one into an array of its own.
        using var store = new RedisEventStreamStore(_redis.Connection, _dataProtection, TimeProvider.System, NullLogger<RedisEventStreamStore>.Instance,
            answers: new KeptAnswerRing(capacity: 4096));
        async Task<string> AnswerAsync(int id, string text)
        {
            var writer = await store.CreateStreamAsync(Stream("mcp-session-15", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var priming = await writer.WriteEventAsync(Priming());
            var answer = await writer.WriteEventAsync(Answer(id, text));
            store.Sent(Frame(answer.EventId!, $$$"""{"jsonrpc":"2.0","id":{{{id}}},"result":{"text":"{{{text}}}"}}"""));
            await writer.DisposeAsync();
            return priming.EventId!;
        }

        async Task<string?> ResumedTextAsync(string primingId) =>
            await store.GetStreamReaderAsync(primingId).AsTask().WaitAsync(s_timeout) is { } reader
                ? ((JsonRpcResponse)Assert.Single(await ReadAllAsync(reader)).Data!).Result!["text"]!.GetValue<string>()
                : null;

        var oldest = await AnswerAsync(1, "oldest");
        var longAnswer = await AnswerAsync(2, new string('L', 600));
        Assert.Equal("oldest", await ResumedTextAsync(oldest));

        var later = new List<string>();
        for (var i = 3; i < 3 + 40; i++)
        {
            later.Add(await AnswerAsync(i, "later-" + new string('x', 100))); // 40 × ≈ 150 bytes: more than the block
        }

        Assert.Null(await ResumedTextAsync(oldest));
        Assert.Equal(new string('L', 600), await ResumedTextAsync(longAnswer));
        Assert.Equal("later-" + new string('x', 100), await ResumedTextAsync(later[^1]));
    }

    [Fact]
    public async Task AnAnswerWhoseWriteWasNotReadIsSerializedWhenResumed()
    {
        using var store = Store(_redis.Connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-9", "14"));
        var priming = await writer.WriteEventAsync(Priming());
        var answer = await writer.WriteEventAsync(Answer(14, "serialized"));
        store.Sent(System.Text.Encoding.UTF8.GetBytes($"event: message\ndata: {{\"a\":1}}\ndata: {{\"b\":2}}\nid: {answer.EventId}\n\n")); // two data lines: not read
        await writer.DisposeAsync();

        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);

        Assert.Equal("serialized", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
    }

    /// <summary>An event as the SDK writes it to a response.</summary>
    private static byte[] Frame(string eventId, string data) =>
        System.Text.Encoding.UTF8.GetBytes($"event: message\ndata: {data}\nid: {eventId}\n\n");

    [Fact]
    public async Task AStreamStillOpenAfterStoreAfterMovesToRedisAndAnotherInstanceResumesIt()
    {
        await using var otherConnection = await _redis.Server.ConnectAsync();
        using var store = Store(_redis.Connection, TimeSpan.FromMilliseconds(200));
        var writer = await store.CreateStreamAsync(Stream("mcp-session-5", "11"));
        var priming = await writer.WriteEventAsync(Priming());
        var progress = new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 1 } }, "message");
        await writer.WriteEventAsync(progress);
        Assert.Empty(await _redis.Server.DumpAsync()); // young: in memory

        await WaitUntilAsync(async () => (await _redis.Server.DumpAsync()).Count > 0); // the sweep moves it (with its progress event)
        Assert.Equal(0, store.LocalStreams);
        await writer.WriteEventAsync(Answer(11, "slow"));
        await writer.DisposeAsync();

        using var other = Store(otherConnection, TimeSpan.FromMilliseconds(200));
        var replayed = await ReadAllAsync((await other.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal(2, replayed.Count);
        Assert.IsType<JsonRpcNotification>(replayed[0].Data);
        Assert.Equal("slow", ((JsonRpcResponse)replayed[1].Data!).Result!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMessageWrittenWhenTheStreamIsOldGoesToRedisWithTheMessagesBeforeIt()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var otherConnection = await _redis.Server.ConnectAsync();
        using var store = new RedisEventStreamStore(_redis.Connection, _dataProtection, clock, NullLogger<RedisEventStreamStore>.Instance, TimeSpan.FromSeconds(1));
        var writer = await store.CreateStreamAsync(Stream("mcp-session-6", "12"));
        var priming = await writer.WriteEventAsync(Priming());
        await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 1 } }, "message"));
        clock.SetUtcNow(clock.GetUtcNow().AddSeconds(1)); // old: the answer goes to Redis, with the progress event before it
        await writer.WriteEventAsync(Answer(12, "answered-old"));

        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal(2, replayed.Count);
        var stored = await otherConnection.GetDatabase().HashGetAllAsync(RedisEventStreamStore.Key("mcp-session-6", "12", clock.GetUtcNow().AddSeconds(-1).ToUnixTimeMilliseconds()));
        Assert.Subset(stored.Select(f => (string)f.Name!).ToHashSet(), new HashSet<string> { "2", "3", "c" }); // (and "m" when the sweep came first)
    }

    [Fact]
    public async Task AtMostTwoThousandQuickAnswersAreKeptAndAtLeastTheLastThousand()
    {
        using var store = Store(_redis.Connection);
        var primingIds = new List<string>();
        for (var i = 0; i < LocalEventStreams.MaxAnswered + 500; i++)
        {
            var writer = await store.CreateStreamAsync(Stream("mcp-session-7", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            primingIds.Add((await writer.WriteEventAsync(Priming())).EventId!);
            await writer.WriteEventAsync(Answer(i, "x"));
            await writer.DisposeAsync();
        }

        Assert.InRange(store.LocalStreams, LocalEventStreams.MaxAnswered / 2, LocalEventStreams.MaxAnswered);
        foreach (var recent in new[] { primingIds.Count - 1, primingIds.Count - (LocalEventStreams.MaxAnswered / 2) })
        {
            var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(primingIds[recent]).AsTask().WaitAsync(s_timeout))!);
            Assert.Equal("x", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task AClientThatComesBackBeforeTheAnswerGetsItWhenItIsWritten()
    {
        var store = Store(_redis.Connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-3", "9"));
        var priming = await writer.WriteEventAsync(Priming());
        var reader = await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout);
        Assert.NotNull(reader); // nothing is stored yet, but the stream is young: the reader waits for it

        var reading = ReadAllAsync(reader);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await writer.WriteEventAsync(Answer(9, "late"));

        var replayed = await reading.WaitAsync(s_timeout);
        Assert.Equal("late", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
    }

    /// <summary>A connection to a Redis of its own that fails fast while that Redis is down, as the servers' does.</summary>
    private static async Task<(RedisServer Redis, StackExchange.Redis.ConnectionMultiplexer Connection)> OwnRedisAsync()
    {
        var redis = await RedisServer.StartAsync();
        var options = StackExchange.Redis.ConfigurationOptions.Parse(redis.ConnectionString);
        options.BacklogPolicy = StackExchange.Redis.BacklogPolicy.FailFast;
        return (redis, await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task AnAnswerRedisCannotTakeStaysOnThisInstanceAndAClientThatComesBackGetsIt()
    {
        var (redis, connection) = await OwnRedisAsync();
        await using var _ = redis;
        await using var __ = connection;
        var store = DurableStore(connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-13", "14"));
        var priming = await writer.WriteEventAsync(Priming());
        await redis.StopAsync(); // Redis goes away during the call, and the client's POST is cut: it comes back for the answer

        var reader = await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout);
        var reading = ReadAllAsync(reader!);
        await writer.WriteEventAsync(Answer(14, "kept-here")).AsTask().WaitAsync(s_timeout);
        await writer.DisposeAsync();

        var replayed = await reading.WaitAsync(s_timeout);
        Assert.Equal("kept-here", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
        Assert.Equal(priming.EventId![..priming.EventId!.LastIndexOf('.')] + ".2", replayed[0].EventId);
        var again = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal("kept-here", ((JsonRpcResponse)Assert.Single(again).Data!).Result!["text"]!.GetValue<string>());
    }

    /// <summary>
    /// A write that fails for another reason than Redis being away (here the client refuses the command: HSET is switched
    /// off in its command map) still delivers the answer, and a client that comes back gets it here. Thrown on, such an
    /// exception ended the POST with its answer unwritten (seen with a connection reset under a cluster failover).
    /// </summary>
    [Fact]
    public async Task AnAnswerWhoseWriteFailsForAnotherReasonIsStillAnsweredAndResumedHere()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(_redis.Server.ConnectionString);
        options.CommandMap = StackExchange.Redis.CommandMap.Create(["HSET", "HMSET"], available: false);
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options).WaitAsync(s_timeout);
        var store = DurableStore(connection);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-21", "22"));
        var priming = await writer.WriteEventAsync(Priming()).AsTask().WaitAsync(s_timeout);

        var answer = await writer.WriteEventAsync(Answer(22, "still-answered")).AsTask().WaitAsync(s_timeout);
        await writer.DisposeAsync();

        Assert.Equal(priming.EventId![..priming.EventId!.LastIndexOf('.')] + ".2", answer.EventId);
        Assert.Empty(_redis.Connection.GetServers()[0].Keys(pattern: "lnbits-mcp:{stream:*"));
        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal("still-answered", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnAnswerThatCannotBeEncryptedIsStillAnsweredAndResumedHere()
    {
        var protection = new FailingEventProtection(_dataProtection);
        var logs = new CapturedLogs();
        using var store = new RedisEventStreamStore(_redis.Connection, protection, TimeProvider.System, new LoggerFactory([logs]).CreateLogger<RedisEventStreamStore>(), TimeSpan.Zero);
        var writer = await store.CreateStreamAsync(Stream("mcp-session-23", "24"));
        var priming = await writer.WriteEventAsync(Priming()).AsTask().WaitAsync(s_timeout);
        protection.Failing = true;

        var answer = await writer.WriteEventAsync(Answer(24, "still-answered")).AsTask().WaitAsync(s_timeout);
        await writer.DisposeAsync();

        Assert.Equal(priming.EventId![..priming.EventId!.LastIndexOf('.')] + ".2", answer.EventId);
        Assert.Empty(_redis.Connection.GetServers()[0].Keys(pattern: "lnbits-mcp:{stream:*"));
        Assert.Contains(logs.Lines, line => line.Contains("could not be written to Redis (CryptographicException", StringComparison.Ordinal));
        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal("still-answered", ((JsonRpcResponse)Assert.Single(replayed).Data!).Result!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOldStreamWhoseMessagesCannotBeEncryptedKeepsThemHere()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var protection = new FailingEventProtection(_dataProtection);
        using var store = new RedisEventStreamStore(_redis.Connection, protection, clock, NullLogger<RedisEventStreamStore>.Instance, TimeSpan.FromSeconds(1));
        var writer = await store.CreateStreamAsync(Stream("mcp-session-25", "26"));
        var priming = await writer.WriteEventAsync(Priming());
        await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 1 } }, "message"));
        protection.Failing = true;
        clock.SetUtcNow(clock.GetUtcNow().AddSeconds(1)); // old: its next message would take it to Redis

        await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 2 } }, "message"))
            .AsTask().WaitAsync(s_timeout);

        var held = await ReadHeldAsync(store, priming.EventId!, count: 2);
        Assert.Equal([1, 2], held.Select(item => ((JsonRpcNotification)item.Data!).Params!["progress"]!.GetValue<int>()));
        Assert.Empty(_redis.Connection.GetServers()[0].Keys(pattern: "lnbits-mcp:{stream:*"));

        protection.Failing = false;
        await writer.WriteEventAsync(Answer(26, "once-it-works-again")).AsTask().WaitAsync(s_timeout);
        Assert.Equal(0, store.LocalStreams); // moved: nothing of it is held here any more
        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal(3, replayed.Count);
        Assert.Equal("once-it-works-again", ((JsonRpcResponse)replayed[2].Data!).Result!["text"]!.GetValue<string>());
    }

    /// <summary>
    /// Data Protection whose encryption of stream events fails while <see cref="Failing"/> (session tokens and
    /// decryption work). A real key ring does not start failing once it has worked (a refresh that finds no usable
    /// key keeps the ring it had), so the failure is made here; the store must keep the answer whatever throws.
    /// </summary>
    private sealed class FailingEventProtection(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        public bool Failing { get; set; }

        public IDataProtector CreateProtector(string purpose) =>
            purpose.EndsWith(".Event.v1", StringComparison.Ordinal) ? new Protector(this, inner.CreateProtector(purpose)) : inner.CreateProtector(purpose);

        private sealed class Protector(FailingEventProtection owner, IDataProtector inner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => inner.CreateProtector(purpose);

            public byte[] Protect(byte[] plaintext) =>
                owner.Failing ? throw new System.Security.Cryptography.CryptographicException("no key to encrypt with") : inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData) => inner.Unprotect(protectedData);
        }
    }

    [Fact]
    public async Task AnOldStreamThatCannotMoveToRedisKeepsItsMessagesHereAndTheyMoveWithTheNextOneOnceRedisIsBack()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var (redis, connection) = await OwnRedisAsync();
        await using var _ = redis;
        await using var __ = connection;
        using var store = new RedisEventStreamStore(connection, _dataProtection, clock, NullLogger<RedisEventStreamStore>.Instance, TimeSpan.FromSeconds(1));
        var startedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var writer = await store.CreateStreamAsync(Stream("mcp-session-14", "15"));
        var priming = await writer.WriteEventAsync(Priming());
        await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 1 } }, "message"));
        await redis.StopAsync();
        clock.SetUtcNow(clock.GetUtcNow().AddSeconds(1)); // old: its next message would take it to Redis, which is down
        await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 2 } }, "message"));

        var held = await ReadHeldAsync(store, priming.EventId!, count: 2);
        Assert.Equal([1, 2], held.Select(item => ((JsonRpcNotification)item.Data!).Params!["progress"]!.GetValue<int>()));

        await redis.RestartAsync();
        await WaitUntilAsync(() => Task.FromResult(connection.IsConnected));
        await writer.WriteEventAsync(Answer(15, "after-the-outage")).AsTask().WaitAsync(s_timeout);
        Assert.Equal(0, store.LocalStreams); // moved: nothing of it is held here any more
        var stored = await connection.GetDatabase().HashGetAllAsync(RedisEventStreamStore.Key("mcp-session-14", "15", startedAt));
        Assert.Equal(["2", "3", "4", "c"], stored.Select(f => (string)f.Name!).Order(StringComparer.Ordinal));
        var replayed = await ReadAllAsync((await store.GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout))!);
        Assert.Equal(3, replayed.Count);
        Assert.Equal("after-the-outage", ((JsonRpcResponse)replayed[2].Data!).Result!["text"]!.GetValue<string>());
    }

    /// <summary>
    /// The first <paramref name="count"/> events of a stream still open that this instance holds, read as a client that
    /// came back would. The sweep that the clock's step started may still be trying to move the stream to Redis, and a
    /// reader that meets it then waits a poll interval of a clock that stands still here: so each try gets half a
    /// second, until one finds it held.
    /// </summary>
    private static async Task<List<SseItem<JsonRpcMessage?>>> ReadHeldAsync(RedisEventStreamStore store, string lastEventId, int count)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        while (true)
        {
            var reader = await store.GetStreamReaderAsync(lastEventId).AsTask().WaitAsync(timeout.Token);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
            var items = new List<SseItem<JsonRpcMessage?>>();
            try
            {
                await foreach (var item in reader!.ReadEventsAsync(attempt.Token))
                {
                    items.Add(item);
                    if (items.Count == count)
                    {
                        return items;
                    }
                }
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                // met the stream while it was being moved: try again
            }
        }
    }

    [Theory]
    [InlineData("not-an-event-id")]
    [InlineData("AAAA.OQ.1700000000000.1")]
    [InlineData("")]
    public async Task AnEventIdThisServerDidNotIssueResumesNothing(string lastEventId)
    {
        Assert.Null(await Store(_redis.Connection).GetStreamReaderAsync(lastEventId).AsTask().WaitAsync(s_timeout));
    }

    private static async Task<List<SseItem<JsonRpcMessage?>>> ReadAllAsync(ISseEventStreamReader reader)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        var items = new List<SseItem<JsonRpcMessage?>>();
        await foreach (var item in reader.ReadEventsAsync(timeout.Token))
        {
            items.Add(item);
        }

        return items;
    }
}
#pragma warning restore MCP9006
