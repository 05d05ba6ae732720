using System.Diagnostics;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// Spans of tool calls that ended after running Redis commands, kept between one and two <see cref="Period"/>s:
/// the Redis instrumentation makes its spans when it drains its profiling sessions (every
/// <see cref="Microsoft.Extensions.Hosting.RedisTracing.FlushInterval"/>), as children of these. Two plain
/// dictionaries take turns (the older one is dropped whole), so nothing is swept entry by entry.
/// </summary>
public sealed class RecentlyEndedSpans<T>(TimeSpan period) where T : class
{
    private readonly Lock _lock = new();
    private Dictionary<ActivitySpanId, T> _current = [];
    private Dictionary<ActivitySpanId, T> _previous = [];
    private long _turnedAt = Environment.TickCount64;

    public TimeSpan Period { get; } = period;

    public void Add(ActivitySpanId spanId, T value)
    {
        lock (_lock)
        {
            TurnIfDue();
            _current[spanId] = value;
        }
    }

    public bool TryGet(ActivitySpanId spanId, out T? value)
    {
        lock (_lock)
        {
            TurnIfDue();
            return _current.TryGetValue(spanId, out value) || _previous.TryGetValue(spanId, out value);
        }
    }

    private void TurnIfDue()
    {
        var now = Environment.TickCount64;
        if (now - _turnedAt < Period.TotalMilliseconds)
        {
            return;
        }

        (_previous, _current) = (_current, _previous);
        _current.Clear();
        if (now - _turnedAt >= 2 * Period.TotalMilliseconds)
        {
            _previous.Clear(); // nothing was added for two periods: what it holds is older than that
        }

        _turnedAt = now;
    }
}
