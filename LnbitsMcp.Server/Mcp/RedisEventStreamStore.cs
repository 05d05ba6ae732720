using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LnbitsMcp.Server.Caching;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore.DataProtection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Resumable SSE event streams: young ones in this instance's memory, older ones in Redis, so that a long
/// call's stream can be resumed with <c>Last-Event-ID</c> on any instance and a quick call costs no Redis write:
/// <list type="bullet">
/// <item>A stream younger than <see cref="StoreAfter"/> keeps its messages in memory (<see cref="LocalEventStreams"/>);
/// answered that young, it stays there among the last answers, and this instance resumes it. One still open
/// when older is moved to Redis by the next message or the sweep (every quarter of <see cref="StoreAfter"/>),
/// and from then on every message is written there before the SDK sends it.</item>
/// <item>In Redis a stream is one hash (<c>lnbits-mcp:{stream:&lt;sha256&gt;}</c>, one slot), kept <see cref="Retention"/>
/// after its last write: fields <c>1</c>, <c>2</c>, … are the events (encrypted with Data Protection: a
/// tool result can carry a session_id or a preimage), <c>c</c> marks it complete, <c>m</c> its mode (written
/// when it moves, so a long call without messages is known). A message is stored with the stream's expiry in
/// one pipelined write; the response that ends a POST stream also marks it complete in the same write.</item>
/// <item>The priming event that opens every POST stream carries no message: it gets its id and is not stored.</item>
/// <item>Event ids are <c>&lt;session token&gt;.&lt;stream id&gt;.&lt;start&gt;.&lt;sequence&gt;</c>: the session
/// token is the MCP session id encrypted and authenticated (never readable in a log line, never forged),
/// made once per MCP session; the stream id (base64url) and start time tell its streams apart. The SDK
/// serves a stream only to its own MCP session.</item>
/// <item>Resuming a stream that this instance does not hold and Redis has nothing of waits while it could still
/// be moving to Redis (<see cref="StoreAfter"/> and a little), then ends; a resumed stream in progress waits up to
/// <see cref="Retention"/> for its next message. With <see cref="StoreAfter"/> zero every message goes to Redis
/// at once and a stream without a stored message is waited for up to <see cref="Retention"/>.</item>
/// </list>
/// Best effort, as resumability is: while Redis is unavailable every request still gets its answer, and a message
/// Redis could not take stays in this instance's memory with the stream's messages after it (a resume here, where
/// the edge sends the MCP session, still gets them; the stream's next message tries Redis again, with them).
/// </summary>
#pragma warning disable MCP9006 // Stateful sessions and their event streams are deliberate (clients of 2025-11-25 and earlier).
public sealed partial class RedisEventStreamStore(
    IConnectionMultiplexer redis,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<RedisEventStreamStore> logger,
    TimeSpan? storeAfter = null,
    KeptAnswerRing? answers = null) : ISseEventStreamStore, ISentEventObserver, IDisposable
{
    /// <summary>The default of <see cref="StoreAfter"/>.</summary>
    public static readonly TimeSpan DefaultStoreAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A stream younger than this keeps its messages in this instance's memory (<see cref="LocalEventStreams"/>):
    /// a tool call answered that quickly costs no Redis write, and a resume of it is served by this instance
    /// (the edge sends a session's requests to the instance that has it). A stream still open when it gets
    /// older (a long call: the kind whose connection a proxy cuts) is written to Redis, its messages so far and
    /// every later one, and any instance resumes it. Zero: every message goes to Redis at once.
    /// </summary>
    public TimeSpan StoreAfter { get; } = storeAfter ?? DefaultStoreAfter;

    /// <summary>How often open young streams are looked at (a stream moves to Redis at most this late).</summary>
    private TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, StoreAfter.Ticks / 4));

    /// <summary>
    /// A stream of which nothing is found after this long is not resumable: an open stream is in Redis by
    /// then (or, when everything is written at once, a stream may wait for its first message up to <see cref="Retention"/>).
    /// </summary>
    private TimeSpan UnknownStreamHorizon => StoreAfter > TimeSpan.Zero ? StoreAfter + SweepInterval + TimeSpan.FromSeconds(2) : Retention;

    private readonly LocalEventStreams _local = new(answers);
    private readonly Lock _sweepGate = new();
    private ITimer? _sweep;

    /// <summary>How many young streams this instance holds in memory (a test reads it).</summary>
    public int LocalStreams => _local.Count;

    public void Dispose() => _sweep?.Dispose();

    /// <summary>How long a stream can be resumed after its last message (and a stream without one after its start).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    /// <summary>How often a resumed stream that is still being written looks for new events.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string CompletedField = "c";
    private const string ModeField = "m";
    // The SDK's wire options: a tool result kept in Redis is written from its JSON bytes, as on the wire, not from a
    // parsed copy (SerializedToolResultJson). A resumed message is read back and written again by the SDK.
    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType = (JsonTypeInfo<JsonRpcMessage>)SdkWireJson.Options.GetTypeInfo(typeof(JsonRpcMessage));

    private TimeProvider Time => time;

    private readonly IDataProtector _tokens = dataProtection.CreateProtector("LnbitsMcp.Mcp.EventStreams.Session.v1");
    private readonly IDataProtector _events = dataProtection.CreateProtector("LnbitsMcp.Mcp.EventStreams.Event.v1");

    public ValueTask<ISseEventStreamWriter> CreateStreamAsync(SseEventStreamOptions options, CancellationToken cancellationToken = default)
    {
        var stream = new StreamIdentity(options.SessionId, options.StreamId, time.GetUtcNow().ToUnixTimeMilliseconds());
        var prefix = StreamPrefix(stream);
        LocalEventStreams.LocalStream? local = null;
        if (StoreAfter > TimeSpan.Zero && options.Mode != SseEventStreamMode.Polling)
        {
            local = _local.Open(prefix, stream.SessionId, stream.StreamId, stream.StartedAtMs);
            StartSweep();
        }

        return ValueTask.FromResult<ISseEventStreamWriter>(new Writer(this, stream, prefix, options.Mode, local));
    }

    private void StartSweep()
    {
        if (_sweep is not null)
        {
            return;
        }

        lock (_sweepGate)
        {
            _sweep ??= time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
        }
    }

    /// <summary>Writes the open streams that got older than <see cref="StoreAfter"/> to Redis.</summary>
    private void Sweep()
    {
        var due = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)StoreAfter.TotalMilliseconds;
        foreach (var stream in _local.OpenStreams())
        {
            if (stream.StartedAtMs <= due)
            {
                _ = MoveToRedisAsync(stream, static () => [new HashEntry(ModeField, "s")]);
            }
        }
    }

    /// <summary>
    /// Makes a stream held here durable: its messages so far and <paramref name="extra"/> are written to Redis, then
    /// it is forgotten here. Null (nothing written) when it already was durable or was answered here; false when Redis
    /// could not take them or they could not be encrypted (they stay here, and the stream with them).
    /// </summary>
    private async Task<bool?> MoveToRedisAsync(LocalEventStreams.LocalStream stream, Func<HashEntry[]> extra)
    {
        Task<bool> write;
        List<(long Sequence, byte[] Encoded)> events;
        lock (stream.Gate)
        {
            if (stream.Durable || stream.Answered)
            {
                return null;
            }

            stream.Durable = true;
            events = stream.Drain();
            // Sent while holding the gate: a message written after this one is queued behind it, so Redis never
            // holds a later message (or the completion) without the earlier ones.
            write = WriteAsync(stream.RedisKey, () => [.. events.Select(e => new HashEntry(e.Sequence, _events.Protect(e.Encoded))), .. extra()]);
        }

        var written = await write;
        lock (stream.Gate)
        {
            if (!written)
            {
                stream.Restore(events);
                stream.Durable = false;
            }
            else if (stream.Durable)
            {
                _local.Forget(stream); // unless a message Redis could not take is held in it meanwhile
            }
        }

        return written;
    }

    /// <summary>
    /// Keeps a message that Redis could not take in this instance's memory, in the stream held here (made now when
    /// there is none, held again when it had moved to Redis), where a resume on this instance finds it.
    /// </summary>
    private LocalEventStreams.LocalStream HoldUnstored(LocalEventStreams.LocalStream? held, StreamIdentity stream, string token, long sequence, SseItem<JsonRpcMessage?> item, bool final)
    {
        held ??= new LocalEventStreams.LocalStream(token, stream.SessionId, stream.StreamId, stream.StartedAtMs, _local.Answers);
        lock (held.Gate)
        {
            held.Durable = false;
            held.Add(sequence, item); // encoded from the bytes the SDK writes next (Sent)
            held.Answered |= final;
            if (held.Answered)
            {
                _local.Answered(held);
            }
            else
            {
                _local.Hold(held);
            }
        }

        return held;
    }

    public async ValueTask<ISseEventStreamReader?> GetStreamReaderAsync(string lastEventId, CancellationToken cancellationToken = default)
    {
        if (!TryParseEventId(lastEventId, out var prefix, out var sequence))
        {
            return null;
        }

        var token = prefix.ToString();
        if (ReadPrefix(token) is not { } stream)
        {
            return null;
        }

        if (_local.Find(token) is { } young)
        {
            if (young.Lost())
            {
                return null; // answered here, and its answer no longer kept: as a stream forgotten here
            }

            return new Reader(this, stream, young.RedisKey, token, sequence, null); // young, or answered young: this instance has it
        }

        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(stream.StartedAtMs);
        var key = Key(stream.SessionId, stream.StreamId, stream.StartedAtMs);
        var stored = await ReadAsync(key, cancellationToken);
        if (stored is null && time.GetUtcNow() - startedAt > UnknownStreamHorizon)
        {
            return null; // expired, answered young on another instance, or never held a message
        }

        return new Reader(this, stream, key, token, sequence, stored);
    }

    /// <summary>
    /// An SSE event of a POST's response as the SDK wrote it: a young stream's message waiting for its encoding
    /// takes it from these bytes instead of being serialized once more (<see cref="LocalEventStreams.LocalStream.Sent"/>).
    /// A write that is not one such event of a stream held here is ignored.
    /// </summary>
    public void Sent(ReadOnlySpan<byte> frame)
    {
        if (!SentSseEvent.TryRead(frame, out var id, out var data) || data.IsEmpty || id.Length > MaxEventIdLength)
        {
            return; // not an event of ours, or the priming event (no message)
        }

        Span<char> chars = stackalloc char[id.Length];
        if (Ascii.ToUtf16(id, chars, out _) == OperationStatus.Done && TryParseEventId(chars, out var prefix, out var sequence))
        {
            _local.Find(prefix)?.Sent(sequence, data);
        }
    }

    /// <summary>Longer than any event id this store makes (a session token of an MCP session id of up to 256 characters).</summary>
    private const int MaxEventIdLength = 1024;

    /// <summary>The stream's hash key: a hash of the stream's identity, in a slot of its own.</summary>
    public static string Key(string sessionId, string streamId, long startedAtMs) =>
        RedisKeys.EventStream(string.Create(CultureInfo.InvariantCulture, $"{sessionId}\n{streamId}\n{startedAtMs}"));

    /// <summary>What every event id of the stream starts with: <c>&lt;session token&gt;.&lt;stream id&gt;.&lt;start&gt;</c>.</summary>
    private string StreamPrefix(StreamIdentity stream) =>
        string.Create(CultureInfo.InvariantCulture, $"{SessionToken(stream.SessionId)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(stream.StreamId))}.{stream.StartedAtMs}");

    /// <summary>The MCP session id, encrypted: made once per session (a bounded set, started over when full).</summary>
    private string SessionToken(string sessionId) =>
        _sessionTokens.TryGetValue(sessionId, out var token)
            ? token
            : _sessionTokens.Keep(sessionId, Base64Url.EncodeToString(_tokens.Protect(Encoding.UTF8.GetBytes(sessionId))));

    private readonly BoundedMap<string, string> _sessionTokens = new(10_000, StringComparer.Ordinal);

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

    /// <summary>An event id's stream prefix (<see cref="StreamPrefix"/>) and sequence: <c>&lt;prefix&gt;.&lt;sequence&gt;</c>.</summary>
    private static bool TryParseEventId(ReadOnlySpan<char> eventId, out ReadOnlySpan<char> prefix, out long sequence)
    {
        var dot = eventId.LastIndexOf('.');
        prefix = dot > 0 ? eventId[..dot] : [];
        sequence = 0;
        return dot > 0 && long.TryParse(eventId[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    private static string EventId(string token, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{token}.{sequence}");

    /// <summary>
    /// Writes the fields <paramref name="fields"/> makes to the stream's hash and renews its expiry; false when they
    /// could not be written. The fields are made here, before the first command is sent (so still under a caller's
    /// lock) and inside the same guard: a message that cannot be encrypted (Data Protection without a usable key)
    /// stays in this instance's memory as one Redis could not take.
    /// </summary>
    private async Task<bool> WriteAsync(RedisKey key, Func<HashEntry[]> fields)
    {
        var database = redis.GetDatabase();
        try
        {
            // Pipelined: both commands leave in one write and are answered together.
            var set = database.HashSetAsync(key, fields());
            var expire = database.KeyExpireAsync(key, Retention);
            await Task.WhenAll(set, expire);
            return true;
        }
        catch (Exception error) when (RedisFailure.Is(error))
        {
            LogUnavailable(logger, error.GetType().Name);
            return false;
        }
        catch (Exception error)
        {
            // Keeping a message for a resume must never cost the answer itself: whatever else made the write fail (a
            // fault of ours, or an exception of the client library's that RedisFailure does not know yet), the messages
            // stay in this instance's memory, as when Redis is away. Thrown on, it ended the POST without its answer.
            LogWriteFault(logger, FaultSite.Of(error));
            return false;
        }
    }

    /// <summary>The stream's stored fields, or null when it holds nothing (or Redis cannot tell).</summary>
    private async Task<StoredStream?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        HashEntry[] entries;
        try
        {
            entries = await redis.GetDatabase().HashGetAllAsync(key).WaitAsync(cancellationToken);
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

    private const int EncodeBufferBytes = 16 * 1024;
    private const int MaxKeptEncodeBufferBytes = 64 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_encodeBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_encodeWriter;

    private byte[] Protect(SseItem<JsonRpcMessage?> item) => _events.Protect(Encode(item));

    /// <summary>
    /// A message's field, with the stream's completion when it is the answer, encrypted when the write makes it
    /// (<see cref="WriteAsync"/>). Made here, not in the writer's method: a closure there would be allocated for
    /// every message, also for the quick ones kept in memory.
    /// </summary>
    private Func<HashEntry[]> EventFields(long sequence, SseItem<JsonRpcMessage?> item, bool final) => final
        ? () => [new HashEntry(sequence, Protect(item)), new HashEntry(CompletedField, 1)]
        : () => [new HashEntry(sequence, Protect(item))];

    private static Func<HashEntry[]> ModeFields(SseEventStreamMode mode) =>
        mode == SseEventStreamMode.Polling ? static () => [new HashEntry(ModeField, "p")] : static () => [new HashEntry(ModeField, "s")];

    /// <summary>An event as JSON (<c>{"t": type, "r": retry ms, "d": message}</c>), serializing its message.</summary>
    internal static byte[] Encode(SseItem<JsonRpcMessage?> item) => Encode(item, default, serialize: true);

    /// <summary>An event as <see cref="Encode(SseItem{JsonRpcMessage?})"/> writes it, its message being <paramref name="messageJson"/> (as the SDK wrote it).</summary>
    internal static byte[] Encode(SseItem<JsonRpcMessage?> item, ReadOnlySpan<byte> messageJson) => Encode(item, messageJson, serialize: false);

    /// <summary>As <see cref="Encode(SseItem{JsonRpcMessage?}, ReadOnlySpan{byte})"/>, kept in <paramref name="ring"/>; null when too long for it.</summary>
    internal static KeptAnswerRing.Slot? Keep(KeptAnswerRing ring, SseItem<JsonRpcMessage?> item, ReadOnlySpan<byte> messageJson) =>
        Encode(item, messageJson, serialize: false, ring, static (ring, encoded) => ring.TryKeep(encoded));

    private SseItem<JsonRpcMessage?>? Unprotect(byte[] stored, string eventId)
    {
        try
        {
            return Decode(_events.Unprotect(stored), eventId);
        }
        catch (CryptographicException)
        {
            return null; // written by another key ring or tampered with: skipped
        }
    }

    /// <summary>
    /// An event as JSON (<c>{"t": type, "r": retry ms, "d": message}</c>): encrypted in Redis, as is in memory. A young
    /// stream keeps these bytes rather than the message objects, so a kept answer is one object for the garbage
    /// collector instead of a tree that every young collection would have to copy.
    /// </summary>
    private static byte[] Encode(SseItem<JsonRpcMessage?> item, ReadOnlySpan<byte> messageJson, bool serialize) =>
        Encode(item, messageJson, serialize, 0, static (_, encoded) => encoded.ToArray());

    /// <summary>Encodes the event and hands its bytes to <paramref name="take"/> (they are the thread's buffer: copy them).</summary>
    private static TResult Encode<TState, TResult>(SseItem<JsonRpcMessage?> item, ReadOnlySpan<byte> messageJson, bool serialize, TState state, Func<TState, ReadOnlySpan<byte>, TResult> take)
    {
        // One growing buffer and writer per thread: a call's answer (a few KB once its text is escaped) was written
        // into a fresh 1 KB buffer that grew twice, a fifth of what a quick call allocated. Only the result is new.
        var buffer = t_encodeBuffer ??= new ArrayBufferWriter<byte>(EncodeBufferBytes);
        var json = t_encodeWriter ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        try
        {
            json.WriteStartObject();
            json.WriteString("t", item.EventType);
            if (item.ReconnectionInterval is { } retry)
            {
                json.WriteNumber("r", (long)retry.TotalMilliseconds);
            }

            json.WritePropertyName("d");
            if (serialize)
            {
                JsonSerializer.Serialize(json, item.Data!, s_messageType);
            }
            else
            {
                json.WriteRawValue(messageJson, skipInputValidation: true); // the SDK's own serialization of the message
            }

            json.WriteEndObject();
            json.Flush();
            return take(state, buffer.WrittenSpan);
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity > MaxKeptEncodeBufferBytes)
            {
                t_encodeBuffer = null; // a rare large answer's buffer is not kept for the thread's life
                t_encodeWriter = null;
            }
        }
    }

    /// <summary>The event <see cref="Encode"/> wrote, with its id; null when the bytes are not JSON.</summary>
    internal static SseItem<JsonRpcMessage?>? Decode(byte[] encoded, string eventId)
    {
        try
        {
            using var json = JsonDocument.Parse(encoded);
            var root = json.RootElement;
            var data = root.GetProperty("d").Deserialize(s_messageType);
            return new SseItem<JsonRpcMessage?>(data, root.GetProperty("t").GetString())
            {
                EventId = eventId,
                ReconnectionInterval = root.TryGetProperty("r", out var retry) ? TimeSpan.FromMilliseconds(retry.GetInt64()) : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP event streams are not kept while Redis is unavailable ({ErrorType})")]
    private static partial void LogUnavailable(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "An MCP event stream could not be written to Redis ({Fault}); its messages stay in this instance's memory")]
    private static partial void LogWriteFault(ILogger logger, string fault);

    private sealed record StreamIdentity(string SessionId, string StreamId, long StartedAtMs);

    private sealed record StoredStream(SortedList<long, byte[]> Events, bool Completed, bool Polling);

    private sealed class Writer(RedisEventStreamStore store, StreamIdentity stream, string token, SseEventStreamMode mode, LocalEventStreams.LocalStream? young) : ISseEventStreamWriter
    {
        /// <summary>The stream as this instance holds it: while young, and when Redis could not take a message.</summary>
        private LocalEventStreams.LocalStream? _held = young;
        private string? _key;
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
            // The client reconnects to poll as soon as the response ends, maybe elsewhere: the mode must be in Redis by then.
            var field = ModeFields(newMode);
            if (_held is null || await store.MoveToRedisAsync(_held, field) is null)
            {
                await store.WriteAsync(Key, field);
            }
        }

        /// <summary>The stream's hash in Redis, made when first needed (a quick call's stream never goes there).</summary>
        private string Key => _held?.RedisKey ?? (_key ??= RedisEventStreamStore.Key(stream.SessionId, stream.StreamId, stream.StartedAtMs));

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
            _completed |= final;
            if (_held is not null && KeptYoung(_held, sequence, item, final))
            {
                return item;
            }

            var fields = store.EventFields(sequence, item, final);
            _stored = true;
            var written = (_held is null ? null : await store.MoveToRedisAsync(_held, fields)) ?? await store.WriteAsync(Key, fields);
            if (!written)
            {
                _held = store.HoldUnstored(_held, stream, token, sequence, item, final);
            }

            return item;
        }

        /// <summary>Keeps a message of a young stream in memory; false when the stream is (now to be) in Redis.</summary>
        private bool KeptYoung(LocalEventStreams.LocalStream young, long sequence, SseItem<JsonRpcMessage?> item, bool final)
        {
            lock (young.Gate)
            {
                if (young.Durable || store.Time.GetUtcNow().ToUnixTimeMilliseconds() - young.StartedAtMs >= (long)store.StoreAfter.TotalMilliseconds)
                {
                    return false;
                }

                young.Add(sequence, item); // encoded from the bytes the SDK writes next (Sent)
                young.Answered |= final;
            }

            if (final)
            {
                store._local.Answered(young);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_held is { } held)
            {
                bool durable, answered;
                lock (held.Gate)
                {
                    (durable, answered) = (held.Durable, held.Answered);
                    held.Answered |= !durable; // ended while held here (a resume then ends too)
                }

                if (!durable)
                {
                    if (!answered)
                    {
                        store._local.Answered(held);
                    }

                    return;
                }

                _stored = true;
            }

            if (_stored && !_completed)
            {
                _completed = true;
                await store.WriteAsync(Key, static () => [new HashEntry(CompletedField, 1)]);
            }
        }
    }

    private sealed class Reader(RedisEventStreamStore store, StreamIdentity stream, string key, string token, long lastSequence, StoredStream? first) : ISseEventStreamReader
    {
        public string SessionId => stream.SessionId;

        public string StreamId => stream.StreamId;

        public async IAsyncEnumerable<SseItem<JsonRpcMessage?>> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var sent = lastSequence;
            var stored = first;
            var giveUpAt = DateTimeOffset.FromUnixTimeMilliseconds(stream.StartedAtMs) + store.UnknownStreamHorizon;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (store._local.Find(token) is { } young)
                {
                    // Young on this instance: its messages from memory, until it is answered or moves to Redis.
                    var (events, answered, lost) = young.After(sent);
                    foreach (var (sequence, encoded) in events)
                    {
                        sent = sequence;
                        if (Decode(encoded, EventId(token, sequence)) is { } item)
                        {
                            yield return item;
                        }
                    }

                    if (answered || lost)
                    {
                        yield break; // lost: its answer was overwritten among the kept answers meanwhile
                    }

                    giveUpAt = store.Time.GetUtcNow() + Retention;
                }
                else if (stored is not null)
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
                stored = store._local.Find(token) is null ? await store.ReadAsync(key, cancellationToken) : null;
            }
        }
    }
}
#pragma warning restore MCP9006
