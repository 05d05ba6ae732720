namespace LnbitsMcp.Server.Mcp;

/// <summary>Shown every write of a Streamable HTTP POST's response body (each an SSE event, <see cref="SentSseEvent"/>) before it leaves.</summary>
public interface ISentEventObserver
{
    void Sent(ReadOnlySpan<byte> frame);
}
