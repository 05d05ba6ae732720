using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// The young event streams of this instance, in memory: a stream stays here while it is younger than
/// <see cref="RedisEventStreamStore.StoreAfter"/> and, once answered that quickly, among the last
/// <see cref="MaxAnswered"/> answered streams (at least the last half of that). A stream still open when it
/// gets older moves to Redis (<see cref="RedisEventStreamStore"/> does that and then forgets it here). A stream
/// whose message Redis could not take is held here too, from that message on, until Redis takes them.
/// </summary>
/// <remarks>
/// Answered streams are kept in two generations: a new one joins the current generation, and when that holds
/// half of <see cref="MaxAnswered"/> it becomes the previous one and the previous one is dropped whole. Removing
/// each oldest stream one by one instead (as before) read its entry and its long key back from memory the
/// processor's caches had long let go of, on every call (1.7 µs of a call's CPU).
/// </remarks>
public sealed class LocalEventStreams
{
    /// <summary>
    /// How many quickly answered streams are kept for a resume on this instance, at most (and at least half as
    /// many, the latest): 10–20 s of answers at 100 calls a second. Few on purpose: answers kept longer outlive
    /// the young garbage collections and make the collector's full (gen 2) work per call (10 000 kept halved a
    /// server's throughput under load). Each is kept encoded: an answer in <see cref="Answers"/> (which the collector
    /// never moves), another message in a byte array of its own.
    /// </summary>
    public const int MaxAnswered = 2_000;

    private readonly ConcurrentDictionary<string, LocalStream> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalStream>.AlternateLookup<ReadOnlySpan<char>> _openBySpan;
    private AnsweredGeneration _answered = new();
    private AnsweredGeneration _answeredBefore = new();
    private int _answeredCount; // how many joined the current generation (a little more when two join as it is replaced)

    public LocalEventStreams(KeptAnswerRing? answers = null)
    {
        _openBySpan = _open.GetAlternateLookup<ReadOnlySpan<char>>();
        Answers = answers ?? new KeptAnswerRing();
    }

    /// <summary>Where the answers of answered streams are kept (the last few MB of them).</summary>
    public KeptAnswerRing Answers { get; }

    /// <summary>How many streams are held (open or answered).</summary>
    public int Count => _open.Count + _answered.Streams.Count + _answeredBefore.Streams.Count;

    /// <summary>Holds a new stream (MCP session, stream id, start) under <paramref name="key"/>, the prefix of its event ids.</summary>
    public LocalStream Open(string key, string sessionId, string streamId, long startedAtMs)
    {
        var stream = new LocalStream(key, sessionId, streamId, startedAtMs, Answers);
        _open[key] = stream;
        return stream;
    }

    /// <summary>Holds <paramref name="stream"/> (again) among the open streams: Redis could not take a message of it.</summary>
    public void Hold(LocalStream stream) => _open[stream.Key] = stream;

    /// <summary>The stream whose messages this instance holds; null when it has none, or when the stream has moved to Redis (its copy here is being forgotten).</summary>
    public LocalStream? Find(ReadOnlySpan<char> key) =>
        (_openBySpan.TryGetValue(key, out var open) ? open : _answered.Find(key) ?? _answeredBefore.Find(key)) is { Durable: false } stream
            ? stream
            : null;

    /// <summary>The streams still open (a sweep moves those that got old to Redis).</summary>
    public IEnumerable<LocalStream> OpenStreams() => _open.Select(pair => pair.Value);

    /// <summary>Keeps an answered stream among the last <see cref="MaxAnswered"/>.</summary>
    public void Answered(LocalStream stream)
    {
        _answered.Streams[stream.Key] = stream;
        _open.TryRemove(new KeyValuePair<string, LocalStream>(stream.Key, stream));
        if (Interlocked.Increment(ref _answeredCount) == MaxAnswered / 2)
        {
            // Only the call that filled the generation gets here: a stream another call adds meanwhile lands in
            // either generation, and is kept at least as long as the current one.
            _answeredBefore = _answered;
            _answered = new AnsweredGeneration();
            Interlocked.Exchange(ref _answeredCount, 0);
        }
    }

    /// <summary>Forgets an open stream that Redis now holds (an answered one never moves there).</summary>
    public void Forget(LocalStream stream) => _open.TryRemove(new KeyValuePair<string, LocalStream>(stream.Key, stream));

    private sealed class AnsweredGeneration
    {
        private readonly ConcurrentDictionary<string, LocalStream>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

        public AnsweredGeneration() => _bySpan = Streams.GetAlternateLookup<ReadOnlySpan<char>>();

        public ConcurrentDictionary<string, LocalStream> Streams { get; } = new(StringComparer.Ordinal);

        public LocalStream? Find(ReadOnlySpan<char> key) => _bySpan.TryGetValue(key, out var stream) ? stream : null;
    }

    /// <summary>
    /// One young stream: its events in order, and whether it was answered. An event is kept encoded: the answer of
    /// an answered stream in <paramref name="answers"/>, any other message in an array of its own; from when it is
    /// stored until the SDK has written it, it is the message itself, and takes its encoding from the bytes the SDK
    /// wrote (<see cref="Sent"/>) or, if none come, when it is read.
    /// </summary>
    public sealed class LocalStream(string key, string sessionId, string streamId, long startedAtMs, KeptAnswerRing answers)
    {
        private readonly List<(long Sequence, byte[]? Encoded, KeptAnswerRing.Slot? Kept, SseItem<JsonRpcMessage?> Message)> _events = [];
        private string? _redisKey;

        /// <summary>The prefix of the stream's event ids.</summary>
        public string Key => key;

        /// <summary>The stream's hash in Redis, made when first needed (most streams never go there).</summary>
        public string RedisKey => _redisKey ??= RedisEventStreamStore.Key(sessionId, streamId, startedAtMs);

        public long StartedAtMs => startedAtMs;

        /// <summary>Guards the events and the flags; the writer and the sweep take it.</summary>
        public Lock Gate { get; } = new();

        /// <summary>The stream ended with its answer while it was young.</summary>
        public bool Answered { get; set; }

        /// <summary>Its events were written to Redis: from now on every event goes there.</summary>
        public bool Durable { get; set; }

        /// <summary>Adds a message the SDK is about to write (under <see cref="Gate"/>).</summary>
        public void Add(long sequence, SseItem<JsonRpcMessage?> message) => _events.Add((sequence, null, null, message));

        /// <summary>
        /// The message <paramref name="sequence"/> as the SDK wrote it (<paramref name="data"/>: its JSON): kept as
        /// these bytes instead of being serialized again; the answer of a stream answered here among the kept answers.
        /// </summary>
        public void Sent(long sequence, ReadOnlySpan<byte> data)
        {
            lock (Gate)
            {
                for (var i = _events.Count - 1; i >= 0; i--)
                {
                    var (eventSequence, encoded, kept, message) = _events[i];
                    if (eventSequence == sequence)
                    {
                        if (encoded is null && kept is null)
                        {
                            // Only an answered stream's answer: a message of an open stream may still have to go to Redis, whole.
                            _events[i] = Answered && !Durable && message.Data is JsonRpcResponse or JsonRpcError
                                && RedisEventStreamStore.Keep(answers, message, data) is { } slot
                                ? (sequence, null, slot, default)
                                : (sequence, RedisEventStreamStore.Encode(message, data), null, default);
                        }

                        return;
                    }
                }
            }
        }

        /// <summary>Whether a kept answer of this stream has been overwritten by later answers: a resume can no longer have it.</summary>
        public bool Lost()
        {
            lock (Gate)
            {
                return _events.Exists(e => e.Kept is { } slot && !answers.Holds(slot));
            }
        }

        /// <summary>Takes the messages, encoded, to write them to Redis (under <see cref="Gate"/>).</summary>
        public List<(long Sequence, byte[] Encoded)> Drain()
        {
            var events = EncodedAfter(0);
            _events.Clear();
            return events;
        }

        /// <summary>Puts back messages <see cref="Drain"/> took, before any added since (under <see cref="Gate"/>): Redis could not take them.</summary>
        public void Restore(List<(long Sequence, byte[] Encoded)> drained) =>
            _events.InsertRange(0, drained.Select(e => (e.Sequence, (byte[]?)e.Encoded, (KeptAnswerRing.Slot?)null, default(SseItem<JsonRpcMessage?>))));

        /// <summary>
        /// The messages after <paramref name="afterSequence"/>, encoded, and whether the stream has ended; Lost when its
        /// answer has been overwritten among the kept answers (the messages are then those before it).
        /// </summary>
        public (List<(long Sequence, byte[] Encoded)> Events, bool Answered, bool Lost) After(long afterSequence)
        {
            lock (Gate)
            {
                var events = EncodedAfter(afterSequence, out var lost);
                return (events, Answered, lost);
            }
        }

        private List<(long Sequence, byte[] Encoded)> EncodedAfter(long afterSequence) => EncodedAfter(afterSequence, out _);

        private List<(long Sequence, byte[] Encoded)> EncodedAfter(long afterSequence, out bool lost)
        {
            lost = false;
            var events = new List<(long Sequence, byte[] Encoded)>(_events.Count);
            for (var i = 0; i < _events.Count; i++)
            {
                var (sequence, encoded, kept, message) = _events[i];
                if (sequence > afterSequence)
                {
                    if (kept is { } slot)
                    {
                        if (answers.Read(slot) is not { } bytes)
                        {
                            lost = true;
                            break;
                        }

                        events.Add((sequence, bytes));
                        continue;
                    }

                    encoded ??= RedisEventStreamStore.Encode(message); // the SDK has not written it (yet)
                    _events[i] = (sequence, encoded, null, default);
                    events.Add((sequence, encoded));
                }
            }

            return events;
        }
    }
}
