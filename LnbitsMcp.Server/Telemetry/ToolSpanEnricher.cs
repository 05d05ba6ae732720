using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// Tags every span of a tool call — the SDK's <c>tools/call</c> span and everything below it (LNbits
/// HTTP, Redis) — with <c>mcp.tool.name</c> and, once the session is known, <c>lnbits_mcp.session</c>.
/// Live spans are followed by parent span id and forgotten when they end. The Redis instrumentation makes
/// its spans later (when it drains its profiling sessions, every second), as children of the span a command
/// ran under; so a span during which Redis commands were sent is remembered for a while after it ends
/// (<see cref="RecentlyEndedSpans{T}"/>), and only such a span: a call served from memory leaves nothing behind.
/// </summary>
public sealed class ToolSpanEnricher(IServiceProvider services) : BaseProcessor<Activity>
{
    /// <summary>A followed span that never ends as a recorded span is forgotten after this.</summary>
    private static readonly TimeSpan s_keep = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<ActivitySpanId, (ToolSpan Span, long RedisOperationsAtStart)> _live = new();
    private readonly RecentlyEndedSpans<ToolSpan> _endedAfterRedis = new(RedisTracing.FlushInterval * 5); // the drain may be late under load
    private readonly Lazy<IConnectionMultiplexer?> _redis = new(services.GetService<IConnectionMultiplexer>);
    private long _lastSweep = Environment.TickCount64;

    /// <summary>Starts following a tool call's span; set <see cref="ToolSpan.SessionHint"/> when it is known.</summary>
    public ToolSpan Follow(Activity toolSpan, string toolName)
    {
        Sweep();
        var span = new ToolSpan(toolName, Environment.TickCount64);
        Track(toolSpan, span);
        return span;
    }

    public override void OnStart(Activity data)
    {
        if (data.ParentSpanId == default)
        {
            return;
        }

        // Only a client span (a Redis command's) can start under a span that has ended: a request span whose parent
        // is remote does not take the table's lock.
        if (_live.TryGetValue(data.ParentSpanId, out var parent))
        {
            Track(data, parent.Span);
        }
        else if (data.Kind == ActivityKind.Client && _endedAfterRedis.TryGet(data.ParentSpanId, out var ended))
        {
            Track(data, ended!);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (!_live.TryRemove(data.SpanId, out var followed))
        {
            return;
        }

        var (span, redisOperationsAtStart) = followed;
        Tag(data, span);
        if (RedisOperations() != redisOperationsAtStart)
        {
            // Redis commands were sent while this span was live (by this call, or by another at the same time):
            // their spans, made later, may be its children.
            _endedAfterRedis.Add(data.SpanId, span);
        }
    }

    private void Track(Activity activity, ToolSpan span)
    {
        if (activity.IsAllDataRequested)
        {
            _live[activity.SpanId] = (span, RedisOperations());
        }

        Tag(activity, span);
    }

    /// <summary>Commands written to Redis so far by this process (0 without Redis).</summary>
    private long RedisOperations() => _redis.Value?.OperationCount ?? 0;

    private static void Tag(Activity activity, ToolSpan span)
    {
        activity.SetTag(TelemetryNames.ToolNameTag, span.ToolName);
        if (span.SessionHint is { } hint)
        {
            activity.SetTag(TelemetryNames.SessionTag, hint);
        }
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastSweep) < 30_000)
        {
            return;
        }

        Interlocked.Exchange(ref _lastSweep, now);
        foreach (var (id, (span, _)) in _live)
        {
            if (now - span.StartedAtTicks > s_keep.TotalMilliseconds)
            {
                _live.TryRemove(id, out _);
            }
        }
    }

    public sealed class ToolSpan(string toolName, long startedAtTicks)
    {
        public string ToolName { get; } = toolName;

        public long StartedAtTicks { get; } = startedAtTicks;

        public string? SessionHint { get; set; }
    }
}
