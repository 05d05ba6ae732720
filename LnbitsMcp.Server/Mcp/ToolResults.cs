using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>Builds the contract's tool results: structured content plus a short text.</summary>
public static class ToolResults
{
    /// <summary>
    /// Structured content, and a text of the summary followed by the same JSON (for clients that read text only).
    /// The result is serialized once, and stays those bytes (<see cref="SerializedToolResult"/>, the result's
    /// <see cref="CallToolResult.Content"/>) until <see cref="DirectToolResults"/> writes the response's
    /// <c>content</c> and <c>structuredContent</c> from them: <see cref="CallToolResult.StructuredContent"/> is not
    /// set, and the text block's string is not made unless the content is read as a list.
    /// </summary>
    public static CallToolResult Success<T>(T result, params ContentBlock[] extraContent) where T : IToolResult =>
        new()
        {
            Content = new SerializedToolResult(result.Summary(), JsonSerializer.SerializeToUtf8Bytes(result, ToolJson.Options), extraContent),
            IsError = false,
        };

    /// <summary><c>isError: true</c>, text <c>"code: message"</c>, structured <c>{"error":{"code","message",…}}</c>.</summary>
    public static CallToolResult Error(ToolException error)
    {
        var body = new JsonObject
        {
            ["code"] = error.Code,
            ["message"] = error.Message,
        };
        foreach (var (name, value) in error.Details)
        {
            body[name] = JsonSerializer.SerializeToNode(value, ToolJson.Options);
        }

        var structured = JsonSerializer.SerializeToElement(new JsonObject { ["error"] = body }, ToolJson.Options);
        return new CallToolResult
        {
            IsError = true,
            StructuredContent = structured,
            Content = [new TextContentBlock { Text = $"{error.Code}: {error.Message}" }],
        };
    }
}
