using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>Builds the contract's tool results: structured content plus a short text.</summary>
public static class ToolResults
{
    /// <summary>
    /// Structured content, and a text of the summary followed by the same JSON (for clients that read text only):
    /// the result is serialized once, and the text is decoded from those bytes straight into its string.
    /// </summary>
    public static CallToolResult Success<T>(T result, params ContentBlock[] extraContent) where T : IToolResult
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(result, ToolJson.Options);
        var structured = JsonElement.Parse(json);
        var content = new List<ContentBlock> { new TextContentBlock { Text = SummaryAndJson(result.Summary(), json) } };
        content.AddRange(extraContent);
        return new CallToolResult { StructuredContent = structured, Content = content, IsError = false };
    }

    private static string SummaryAndJson(string summary, byte[] json) =>
        string.Create(summary.Length + 1 + Encoding.UTF8.GetCharCount(json), (summary, json), static (text, parts) =>
        {
            parts.summary.CopyTo(text);
            text[parts.summary.Length] = '\n';
            Encoding.UTF8.GetChars(parts.json, text[(parts.summary.Length + 1)..]);
        });

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
