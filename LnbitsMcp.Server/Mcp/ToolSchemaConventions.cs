using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Shapes every tool's schemas once: each tool also takes <c>session_id</c> (CONTRACT §4), and each
/// output schema also admits the error shape, because clients validate <c>structuredContent</c>
/// against <c>outputSchema</c> even when <c>isError</c> is true.
/// </summary>
public sealed class ToolSchemaConventions : IPostConfigureOptions<McpServerOptions>
{
    public const string SessionIdArgument = "session_id";
    public const string LegacySessionIdArgument = "__session_id";

    private const string SessionIdDescription =
        "Optional. The session to use (from create_session). Omit it to use the session bound to this MCP connection.";

    private static readonly JsonNode s_errorSchema = JsonNode.Parse("""
        {
          "type": "object",
          "description": "A business error: isError is true and the text reads '<code>: <message>'.",
          "properties": {
            "error": {
              "type": "object",
              "properties": {
                "code": { "type": "string" },
                "message": { "type": "string" }
              },
              "required": ["code", "message"]
            }
          },
          "required": ["error"]
        }
        """)!;

    public void PostConfigure(string? name, McpServerOptions options)
    {
        foreach (var tool in options.ToolCollection ?? [])
        {
            Apply(tool);
        }
    }

    /// <summary>
    /// Results leave out what does not apply (nulls are not written, e.g. <c>amount_msat</c> of an
    /// amountless invoice), so a nullable property is optional, at every depth.
    /// </summary>
    private static void OptionalWhenNullable(JsonNode? schema)
    {
        if (schema is not JsonObject node)
        {
            return;
        }

        if (node["properties"] is JsonObject properties)
        {
            if (node["required"] is JsonArray required)
            {
                var keep = required.Select(name => name!.GetValue<string>())
                    .Where(name => properties[name] is not JsonObject property || !IsNullable(property))
                    .ToList();
                node["required"] = new JsonArray([.. keep.Select(name => (JsonNode)JsonValue.Create(name))]);
            }

            foreach (var (_, property) in properties)
            {
                OptionalWhenNullable(property);
            }
        }

        OptionalWhenNullable(node["items"]);
    }

    private static bool IsNullable(JsonObject property) =>
        property["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    public static void Apply(McpServerTool tool)
    {
        var protocolTool = tool.ProtocolTool;
        var input = JsonNode.Parse(protocolTool.InputSchema.GetRawText())!.AsObject();
        var properties = input["properties"] as JsonObject ?? [];
        input["properties"] = properties;
        if (!properties.ContainsKey(SessionIdArgument))
        {
            properties[SessionIdArgument] = new JsonObject { ["type"] = "string", ["description"] = SessionIdDescription };
            protocolTool.InputSchema = JsonSerializer.SerializeToElement(input);
        }

        if (protocolTool.OutputSchema is { } output && !output.TryGetProperty("anyOf", out _))
        {
            var result = JsonNode.Parse(output.GetRawText())!;
            OptionalWhenNullable(result);
            var wrapped = new JsonObject
            {
                ["type"] = "object",
                ["anyOf"] = new JsonArray(result, s_errorSchema.DeepClone()),
            };
            protocolTool.OutputSchema = JsonSerializer.SerializeToElement(wrapped);
        }
    }
}
