using System.Collections;
using LnbitsMcp.Server.Telemetry;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// The log scope of one tool call: its tool name and, once the call's session is known, the session's hint
/// (never the session id). Two fields instead of a dictionary: one small object per call, read by providers
/// only when a line is written.
/// </summary>
public sealed class ToolCallLogScope(string toolName) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string ToolName { get; } = toolName;

    public string? SessionHint { get; set; }

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => KeyValuePair.Create(TelemetryNames.ToolNameTag, (object?)ToolName),
        1 => KeyValuePair.Create(TelemetryNames.SessionTag, (object?)SessionHint),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{TelemetryNames.ToolNameTag}:{ToolName} {TelemetryNames.SessionTag}:{SessionHint}";
}
