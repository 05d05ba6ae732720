using System.Collections.Concurrent;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// The young event streams of this instance, in memory: a stream stays here while it is younger than
/// <see cref="RedisEventStreamStore.StoreAfter"/> and, once answered that quickly, among the last
/// <see cref="MaxAnswered"/> answered streams. A stream still open when it gets older moves to Redis
/// (<see cref="RedisEventStreamStore"/> does that and then forgets it here).
/// </summary>
public sealed class LocalEventStreams
{
    /// <summary>
    /// How many quickly answered streams are kept for a resume on this instance: 20 s of answers at 100 calls
    /// a second. Few on purpose: answers kept longer outlive the young garbage collections and make the
    /// collector's full (gen 2) work per call (10 000 kept halved a server's throughput under load). Each is
    /// kept encoded, one byte array per event, which the collector moves far faster than message objects.
    /// </summary>
    public const int MaxAnswered = 2_000;

    private readonly ConcurrentDictionary<string, LocalStream> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalStream> _answered = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _answeredOrder = new();
    private int _answeredCount; // the queue's length (ConcurrentQueue.Count walks its segments)

    /// <summary>How many streams are held (open or answered).</summary>
    public int Count => _open.Count + _answered.Count;

    public LocalStream Open(string key, long startedAtMs)
    {
        var stream = new LocalStream(key, startedAtMs);
        _open[key] = stream;
        return stream;
    }

    /// <summary>The stream whose messages this instance holds; null when it has none, or when the stream has moved to Redis (its copy here is being forgotten).</summary>
    public LocalStream? Find(string key) =>
        (_open.GetValueOrDefault(key) ?? _answered.GetValueOrDefault(key)) is { Durable: false } stream ? stream : null;

    /// <summary>The streams still open (a sweep moves those that got old to Redis).</summary>
    public IEnumerable<LocalStream> OpenStreams() => _open.Select(pair => pair.Value);

    /// <summary>Keeps an answered stream among the last <see cref="MaxAnswered"/>.</summary>
    public void Answered(LocalStream stream)
    {
        _answered[stream.Key] = stream;
        _open.TryRemove(new KeyValuePair<string, LocalStream>(stream.Key, stream));
        _answeredOrder.Enqueue(stream.Key);
        if (Interlocked.Increment(ref _answeredCount) <= MaxAnswered)
        {
            return;
        }

        if (_answeredOrder.TryDequeue(out var oldest))
        {
            Interlocked.Decrement(ref _answeredCount);
            _answered.TryRemove(oldest, out _);
        }
    }

    /// <summary>Forgets an open stream that Redis now holds (an answered one never moves there).</summary>
    public void Forget(LocalStream stream) => _open.TryRemove(new KeyValuePair<string, LocalStream>(stream.Key, stream));

    /// <summary>One young stream: its events in order (encoded: one array each, whatever the message), and whether it was answered.</summary>
    public sealed class LocalStream(string key, long startedAtMs)
    {
        private readonly List<(long Sequence, byte[] Encoded)> _events = [];

        public string Key => key;

        public long StartedAtMs => startedAtMs;

        /// <summary>Guards the events and the flags; the writer and the sweep take it.</summary>
        public Lock Gate { get; } = new();

        /// <summary>The stream ended with its answer while it was young.</summary>
        public bool Answered { get; set; }

        /// <summary>Its events were written to Redis: from now on every event goes there.</summary>
        public bool Durable { get; set; }

        /// <summary>Adds an event, encoded by <see cref="RedisEventStreamStore.Encode"/> (under <see cref="Gate"/>).</summary>
        public void Add(long sequence, byte[] encoded) => _events.Add((sequence, encoded));

        /// <summary>Takes the messages to write them to Redis (under <see cref="Gate"/>).</summary>
        public List<(long Sequence, byte[] Encoded)> Drain()
        {
            var events = new List<(long, byte[])>(_events);
            _events.Clear();
            return events;
        }

        /// <summary>The messages after <paramref name="afterSequence"/>, and whether the stream has ended.</summary>
        public (List<(long Sequence, byte[] Encoded)> Events, bool Answered) After(long afterSequence)
        {
            lock (Gate)
            {
                return ([.. _events.Where(e => e.Sequence > afterSequence)], Answered);
            }
        }
    }
}
