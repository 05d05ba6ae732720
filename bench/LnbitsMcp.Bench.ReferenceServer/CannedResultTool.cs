using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

/// <summary>
/// A tool of the given name that answers every call with one tool result read from a file: the load benchmark
/// captures our server's <c>decode_invoice</c> result and serves it here, so the bare SDK carries a result of
/// the same size and shape (structured content and its text) as ours, without producing it.
/// </summary>
internal static class CannedResultTool
{
    public static McpServerTool Create(string name, string resultFile)
    {
        var canned = JsonSerializer.Deserialize<CallToolResult>(File.ReadAllText(resultFile), McpJsonUtilities.DefaultOptions)
            ?? throw new InvalidOperationException($"{resultFile} holds no tool result");
        var text = canned.Content.OfType<TextContentBlock>().Single().Text;
        return McpServerTool.Create(
            (string bolt11) => new CallToolResult { StructuredContent = canned.StructuredContent, Content = [new TextContentBlock { Text = text }] },
            new McpServerToolCreateOptions { Name = name, Description = $"Answers with the result in {Path.GetFileName(resultFile)}." });
    }
}
