namespace LnbitsMcp.LoadBench;

/// <summary>
/// One thing the benchmark loads: a URL, the request (a JSON-RPC tool call after its id, or a GET), the
/// MCP session it belongs to, the processes whose CPU it costs, the reference it is compared with, and the
/// credential header every request carries (an API key, or an OAuth bearer token), if any.
/// </summary>
public sealed record LoadTarget(
    string Name,
    string Label,
    Uri Url,
    string? Body,
    string? SessionId,
    IReadOnlyList<ChildProcess> Processes,
    string? ReferenceName = null,
    (string Name, string Value)? Credential = null,
    string? ExpectedText = null)
{
    public static string ToolCall(string tool, string argumentsJson) =>
        "\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + argumentsJson + "}}";
}
