using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// JSON for tool results and schemas: snake_case names as the contract spells them, nulls left
/// out (an absent field means "not applicable", e.g. <c>amount_msat</c> of an amountless invoice).
/// </summary>
public static class ToolJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
