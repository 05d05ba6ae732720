namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Reads one SSE event as the SDK writes it to a response, one write per event: <c>event:</c>, one <c>data:</c>
/// line (a JSON-RPC message: compact JSON has no line breaks), <c>id:</c>, maybe <c>retry:</c>, a blank line.
/// Anything else (several data lines, no id, a comment) is not read: its message is then serialized again.
/// </summary>
public static class SentSseEvent
{
    /// <summary>The event's id and data, when <paramref name="frame"/> is exactly one event with one data line and an id.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> id, out ReadOnlySpan<byte> data)
    {
        id = default;
        data = default;
        var dataLines = 0;
        var hasId = false;
        while (!frame.IsEmpty)
        {
            var end = frame.IndexOf((byte)'\n');
            if (end < 0)
            {
                return false; // an event ends with a blank line
            }

            var line = frame[..end];
            frame = frame[(end + 1)..];
            if (line.IsEmpty)
            {
                return frame.IsEmpty && dataLines == 1 && hasId;
            }

            if (line.IndexOf((byte)'\r') >= 0)
            {
                return false;
            }

            if (line.StartsWith("data: "u8))
            {
                data = line["data: "u8.Length..];
                dataLines++;
            }
            else if (line.StartsWith("id: "u8))
            {
                id = line["id: "u8.Length..];
                hasId = true;
            }
            else if (!line.StartsWith("event: "u8) && !line.StartsWith("retry: "u8))
            {
                return false;
            }
        }

        return false;
    }
}
