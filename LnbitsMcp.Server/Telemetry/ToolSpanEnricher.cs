using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// Tags every span of a tool call — the SDK's <c>tools/call</c> span and everything below it (LNbits
/// HTTP, Redis) — with <c>mcp.tool.name</c> and, once the session is known, <c>lnbits_mcp.session</c>.
/// Children are followed by parent span id, because some instrumentations (Redis) create their
/// spans later, from a captured parent context.
/// </summary>
public sealed class ToolSpanEnricher : BaseProcessor<Activity>
{
    private static readonly TimeSpan s_keep = TimeSpan.FromMinutes(2); // Redis spans arrive within ~10 s
    private readonly ConcurrentDictionary<ActivitySpanId, ToolSpan> _spans = new();
    private long _lastSweep = Environment.TickCount64;

    /// <summary>Starts following a tool call's span; set <see cref="ToolSpan.SessionHint"/> when it is known.</summary>
    public ToolSpan Follow(Activity toolSpan, string toolName)
    {
        Sweep();
        var span = new ToolSpan(toolName, Environment.TickCount64);
        _spans[toolSpan.SpanId] = span;
        Tag(toolSpan, span);
        return span;
    }

    public override void OnStart(Activity data)
    {
        if (data.ParentSpanId != default && _spans.TryGetValue(data.ParentSpanId, out var span))
        {
            _spans[data.SpanId] = span;
            Tag(data, span);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (_spans.TryGetValue(data.SpanId, out var span))
        {
            Tag(data, span);
        }
    }

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
        foreach (var (id, span) in _spans)
        {
            if (now - span.StartedAtTicks > s_keep.TotalMilliseconds)
            {
                _spans.TryRemove(id, out _);
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
