using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>
/// Events are stored only where a stream can be resumed from them: the priming event is not stored, a
/// message is stored (one hash per stream, with an expiry) before it is sent, the answer marks its stream
/// complete; any instance replays a stream, also one whose answer comes after the client came back.
/// </summary>
#pragma warning disable MCP9006 // the event stream store API is the SDK's stateful-mode API
public sealed class EventsAreStoredOnlyWhereAStreamCanBeResumed : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly IDataProtectionProvider _dataProtection = DataProtectionProvider.Create("lnbits-mcp-tests");
    private StartedRedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private RedisEventStreamStore Store(StackExchange.Redis.IConnectionMultiplexer connection) =>
        new(connection, _dataProtection, TimeProvider.System, NullLogger<RedisEventStreamStore>.Instance);

    private static SseEventStreamOptions Stream(string sessionId, string streamId) =>
        new() { SessionId = sessionId, StreamId = streamId, Mode = SseEventStreamMode.Streaming };

    /// <summary>What the SDK writes first on a POST stream: an event without data.</summary>
    private static SseItem<JsonRpcMessage?> Priming() => new(null, "prime");

    private static SseItem<JsonRpcMessage?> Answer(int id, string text) =>
        new(new JsonRpcResponse { Id = new RequestId(id), Result = new JsonObject { ["text"] = text } }, "message");

    [Fact]
    public async Task ThePrimingEventIsNotStoredAndTheAnswerIsOneEncryptedHashThatExpires()
    {
        var store = Store(_redis.Connection);
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
        var writer = await Store(_redis.Connection).CreateStreamAsync(Stream("mcp-session-2", "8"));
        var priming = await writer.WriteEventAsync(Priming());
        var progress = new SseItem<JsonRpcMessage?>(new JsonRpcNotification { Method = "notifications/progress", Params = new JsonObject { ["progress"] = 1 } }, "message");
        await writer.WriteEventAsync(progress);
        await writer.WriteEventAsync(Answer(8, "done"));

        var reader = await Store(otherConnection).GetStreamReaderAsync(priming.EventId!).AsTask().WaitAsync(s_timeout);

        Assert.NotNull(reader);
        Assert.Equal("mcp-session-2", reader.SessionId);
        Assert.Equal("8", reader.StreamId);
        var replayed = await ReadAllAsync(reader);
        Assert.Equal(2, replayed.Count);
        Assert.IsType<JsonRpcNotification>(replayed[0].Data);
        Assert.Equal("done", ((JsonRpcResponse)replayed[1].Data!).Result!["text"]!.GetValue<string>());
        Assert.Single(await ReadAllAsync((await Store(otherConnection).GetStreamReaderAsync(replayed[0].EventId!))!)); // from the progress event on
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
