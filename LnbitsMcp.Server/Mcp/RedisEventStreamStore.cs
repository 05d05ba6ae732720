using System.Buffers.Text;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore.DataProtection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Resumable SSE event streams in Redis, so that a stream one instance answered can be resumed with
/// <c>Last-Event-ID</c> on any instance — at one Redis round trip per message and nothing per stream:
/// <list type="bullet">
/// <item>A stream is one hash (<c>lnbits-mcp:{stream:&lt;sha256&gt;}</c>, one slot), kept <see cref="Retention"/>
/// after its last write: fields <c>1</c>, <c>2</c>, … are the events (encrypted with Data Protection: a
/// tool result can carry a session_id or a preimage), <c>c</c> marks it complete, <c>m</c> its polling mode.</item>
/// <item>The priming event that opens every POST stream carries no message: it gets its id and is not
/// stored. A message is stored (with its stream's expiry, one pipelined write) before the SDK sends it;
/// the response that ends a POST stream also marks it complete in the same write.</item>
/// <item>Event ids are <c>&lt;session token&gt;.&lt;stream id&gt;.&lt;start&gt;.&lt;sequence&gt;</c>: the session
/// token is the MCP session id encrypted and authenticated (never readable in a log line, never forged),
/// made once per MCP session; the stream id (base64url) and start time tell its streams apart. The SDK
/// serves a stream only to its own MCP session.</item>
/// <item>Resuming a stream that has no stored message yet (a long tool call) waits for it, at most until
/// the stream is <see cref="Retention"/> old, as a resumed stream in progress does.</item>
/// </list>
/// Best effort, as resumability is: while Redis is unavailable nothing is stored and every request still
/// gets its answer.
/// </summary>
#pragma warning disable MCP9006 // Stateful sessions and their event streams are deliberate (clients of 2025-11-25 and earlier).
public sealed partial class RedisEventStreamStore(
    IConnectionMultiplexer redis,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<RedisEventStreamStore> logger) : ISseEventStreamStore
{
    /// <summary>How long a stream can be resumed after its last message (and a stream without one after its start).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    /// <summary>How often a resumed stream that is still being written looks for new events.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string CompletedField = "c";
    private const string ModeField = "m";
    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private TimeProvider Time => time;

    private readonly IDataProtector _tokens = dataProtection.CreateProtector("LnbitsMcp.Mcp.EventStreams.Session.v1");
    private readonly IDataProtector _events = dataProtection.CreateProtector("LnbitsMcp.Mcp.EventStreams.Event.v1");

    public ValueTask<ISseEventStreamWriter> CreateStreamAsync(SseEventStreamOptions options, CancellationToken cancellationToken = default)
    {
        var stream = new StreamIdentity(options.SessionId, options.StreamId, time.GetUtcNow().ToUnixTimeMilliseconds());
        return ValueTask.FromResult<ISseEventStreamWriter>(new Writer(this, stream, StreamPrefix(stream), options.Mode));
    }

    public async ValueTask<ISseEventStreamReader?> GetStreamReaderAsync(string lastEventId, CancellationToken cancellationToken = default)
    {
        if (!TryParseEventId(lastEventId, out var token, out var sequence) || ReadPrefix(token) is not { } stream)
        {
            return null;
        }

        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(stream.StartedAtMs);
        var stored = await ReadAsync(stream, cancellationToken);
        if (stored is null && time.GetUtcNow() - startedAt > Retention)
        {
            return null; // expired, or never held a message
        }

        return new Reader(this, stream, token, sequence, stored);
    }

    /// <summary>The stream's hash key: a hash of the stream's identity, in a slot of its own.</summary>
    public static string Key(string sessionId, string streamId, long startedAtMs) =>
        RedisKeys.EventStream(string.Create(CultureInfo.InvariantCulture, $"{sessionId}\n{streamId}\n{startedAtMs}"));

    /// <summary>What every event id of the stream starts with: <c>&lt;session token&gt;.&lt;stream id&gt;.&lt;start&gt;</c>.</summary>
    private string StreamPrefix(StreamIdentity stream) =>
        string.Create(CultureInfo.InvariantCulture, $"{SessionToken(stream.SessionId)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(stream.StreamId))}.{stream.StartedAtMs}");

    /// <summary>The MCP session id, encrypted: made once per session (a bounded set, started over when full).</summary>
    private string SessionToken(string sessionId)
    {
        if (_sessionTokens.TryGetValue(sessionId, out var token))
        {
            return token;
        }

        if (_sessionTokens.Count >= MaxSessionTokens)
        {
            _sessionTokens.Clear();
        }

        return _sessionTokens[sessionId] = Base64Url.EncodeToString(_tokens.Protect(Encoding.UTF8.GetBytes(sessionId)));
    }

    private const int MaxSessionTokens = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _sessionTokens = new(StringComparer.Ordinal);

    private StreamIdentity? ReadPrefix(string prefix)
    {
        var parts = prefix.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return null;
        }

        try
        {
            var sessionId = Encoding.UTF8.GetString(_tokens.Unprotect(Base64Url.DecodeFromChars(parts[0])));
            return new StreamIdentity(sessionId, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])), started);
        }
        catch (Exception error) when (error is CryptographicException or FormatException)
        {
            return null; // not ours, tampered with, or from another key ring
        }
    }

    private static bool TryParseEventId(string eventId, out string prefix, out long sequence)
    {
        var dot = eventId.LastIndexOf('.');
        prefix = dot > 0 ? eventId[..dot] : string.Empty;
        sequence = 0;
        return dot > 0 && long.TryParse(eventId.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    private static string EventId(string token, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{token}.{sequence}");

    private async Task WriteAsync(StreamIdentity stream, HashEntry[] fields)
    {
        var database = redis.GetDatabase();
        var key = (RedisKey)Key(stream.SessionId, stream.StreamId, stream.StartedAtMs);
        try
        {
            // Pipelined: both commands leave in one write and are answered together.
            var set = database.HashSetAsync(key, fields);
            var expire = database.KeyExpireAsync(key, Retention);
            await Task.WhenAll(set, expire);
        }
        catch (Exception error) when (RedisFailure.Is(error))
        {
            LogUnavailable(logger, error.GetType().Name);
        }
    }

    /// <summary>The stream's stored fields, or null when it holds nothing (or Redis cannot tell).</summary>
    private async Task<StoredStream?> ReadAsync(StreamIdentity stream, CancellationToken cancellationToken)
    {
        HashEntry[] entries;
        try
        {
            entries = await redis.GetDatabase().HashGetAllAsync(Key(stream.SessionId, stream.StreamId, stream.StartedAtMs)).WaitAsync(cancellationToken);
        }
        catch (Exception error) when (RedisFailure.Is(error))
        {
            LogUnavailable(logger, error.GetType().Name);
            return null;
        }

        if (entries.Length == 0)
        {
            return null;
        }

        var events = new SortedList<long, byte[]>();
        var completed = false;
        var polling = false;
        foreach (var entry in entries)
        {
            var name = (string)entry.Name!;
            if (name == CompletedField)
            {
                completed = true;
            }
            else if (name == ModeField)
            {
                polling = (string?)entry.Value == "p";
            }
            else if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                events[sequence] = (byte[])entry.Value!;
            }
        }

        return new StoredStream(events, completed, polling);
    }

    private byte[] Protect(SseItem<JsonRpcMessage?> item)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("t", item.EventType);
            if (item.ReconnectionInterval is { } retry)
            {
                json.WriteNumber("r", (long)retry.TotalMilliseconds);
            }

            json.WritePropertyName("d");
            JsonSerializer.Serialize(json, item.Data!, s_messageType);
            json.WriteEndObject();
        }

        return _events.Protect(buffer.ToArray());
    }

    private SseItem<JsonRpcMessage?>? Unprotect(byte[] stored, string eventId)
    {
        try
        {
            using var json = JsonDocument.Parse(_events.Unprotect(stored));
            var root = json.RootElement;
            var data = root.GetProperty("d").Deserialize(s_messageType);
            return new SseItem<JsonRpcMessage?>(data, root.GetProperty("t").GetString())
            {
                EventId = eventId,
                ReconnectionInterval = root.TryGetProperty("r", out var retry) ? TimeSpan.FromMilliseconds(retry.GetInt64()) : null,
            };
        }
        catch (Exception error) when (error is CryptographicException or JsonException)
        {
            return null; // written by another key ring or tampered with: skipped
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP event streams are not kept while Redis is unavailable ({ErrorType})")]
    private static partial void LogUnavailable(ILogger logger, string errorType);

    private sealed record StreamIdentity(string SessionId, string StreamId, long StartedAtMs);

    private sealed record StoredStream(SortedList<long, byte[]> Events, bool Completed, bool Polling);

    private sealed class Writer(RedisEventStreamStore store, StreamIdentity stream, string token, SseEventStreamMode mode) : ISseEventStreamWriter
    {
        private long _sequence;
        private bool _stored;
        private bool _completed;

        public async ValueTask SetModeAsync(SseEventStreamMode newMode, CancellationToken cancellationToken = default)
        {
            if (newMode == mode)
            {
                return;
            }

            mode = newMode;
            _stored = true;
            // The client reconnects to poll as soon as the response ends: the mode must be stored by then.
            await store.WriteAsync(stream, [new HashEntry(ModeField, newMode == SseEventStreamMode.Polling ? "p" : "s")]);
        }

        public async ValueTask<SseItem<JsonRpcMessage?>> WriteEventAsync(SseItem<JsonRpcMessage?> sseItem, CancellationToken cancellationToken = default)
        {
            if (sseItem.EventId is not null)
            {
                return sseItem; // replayed: it has its id
            }

            var sequence = Interlocked.Increment(ref _sequence);
            var item = sseItem with { EventId = EventId(token, sequence) };
            if (item.Data is null)
            {
                return item; // the priming event: nothing to replay
            }

            // The answer to the POST's request ends its stream: marked complete in the same write.
            var final = item.Data is JsonRpcResponse or JsonRpcError;
            HashEntry[] fields = final
                ? [new HashEntry(sequence, store.Protect(item)), new HashEntry(CompletedField, 1)]
                : [new HashEntry(sequence, store.Protect(item))];
            _stored = true;
            _completed |= final;
            await store.WriteAsync(stream, fields);
            return item;
        }

        public async ValueTask DisposeAsync()
        {
            if (_stored && !_completed)
            {
                _completed = true;
                await store.WriteAsync(stream, [new HashEntry(CompletedField, 1)]);
            }
        }
    }

    private sealed class Reader(RedisEventStreamStore store, StreamIdentity stream, string token, long lastSequence, StoredStream? first) : ISseEventStreamReader
    {
        public string SessionId => stream.SessionId;

        public string StreamId => stream.StreamId;

        public async IAsyncEnumerable<SseItem<JsonRpcMessage?>> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var sent = lastSequence;
            var stored = first;
            var giveUpAt = DateTimeOffset.FromUnixTimeMilliseconds(stream.StartedAtMs) + Retention;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (stored is not null)
                {
                    foreach (var (sequence, bytes) in stored.Events)
                    {
                        if (sequence > sent && store.Unprotect(bytes, EventId(token, sequence)) is { } item)
                        {
                            sent = sequence;
                            yield return item;
                        }
                    }

                    if (stored.Completed || stored.Polling)
                    {
                        yield break;
                    }

                    giveUpAt = store.Time.GetUtcNow() + Retention;
                }
                else if (store.Time.GetUtcNow() > giveUpAt)
                {
                    yield break; // nothing came: the instance that ran the call is gone
                }

                await Task.Delay(PollInterval, store.Time, cancellationToken);
                stored = await store.ReadAsync(stream, cancellationToken);
            }
        }
    }
}
#pragma warning restore MCP9006
