using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>Builds the contract's tool results: structured content plus a short text.</summary>
public static class ToolResults
{
    public static CallToolResult Success<T>(T result, params ContentBlock[] extraContent) where T : IToolResult
    {
        var structured = JsonSerializer.SerializeToElement(result, ToolJson.Options);
        var content = new List<ContentBlock> { new TextContentBlock { Text = result.Summary() + "\n" + structured.GetRawText() } };
        content.AddRange(extraContent);
        return new CallToolResult { StructuredContent = structured, Content = content, IsError = false };
    }

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
