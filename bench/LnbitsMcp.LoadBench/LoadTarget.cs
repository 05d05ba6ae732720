namespace LnbitsMcp.LoadBench;

/// <summary>
/// One thing the benchmark loads: a URL, the request (a JSON-RPC tool call after its id, or a GET), the
/// MCP session it belongs to, the processes whose CPU it costs, and the reference it is compared with.
/// </summary>
public sealed record LoadTarget(
    string Name,
    string Label,
    Uri Url,
    string? Body,
    string? SessionId,
    IReadOnlyList<ChildProcess> Processes,
    string? ReferenceName = null,
    string? ApiKey = null,
    string? ExpectedText = null)
{
    public static string ToolCall(string tool, string argumentsJson) =>
        "\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}}";
}
