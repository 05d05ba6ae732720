using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Looks at <c>tools/call</c> before the SDK binds its params: params that are not
/// <c>{"name": string, "arguments": object}</c> get a JSON-RPC invalid-params error that says so, and an
/// argument holding text that is not valid UTF-16 (a lone surrogate escape such as <c>\ud800</c>, which
/// the SDK cannot even copy) is blanked and reported by <see cref="ToolCallFilter"/> as
/// <c>invalid_argument</c>, instead of a generic internal error.
/// </summary>
public static class ToolCallParamsGuard
{
    public const string ProblemItem = "LnbitsMcp.ArgumentProblem";

    public static McpMessageHandler Create(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsCall } request)
        {
            if (Check(request.Params) is { } problem)
            {
                context.Items[ProblemItem] = problem;
            }
        }

        return next(context, cancellationToken);
    };

    private static string? Check(JsonNode? parameters)
    {
        if (parameters is not JsonObject call)
        {
            throw InvalidParams("tools/call takes params {\"name\": <tool name>, \"arguments\": {…}}.");
        }

        if (call["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String || !IsValidText(name))
        {
            throw InvalidParams("params.name must be the tool's name, a string.");
        }

        var arguments = call["arguments"];
        if (arguments is not null and not JsonObject)
        {
            throw InvalidParams("params.arguments must be an object of argument names to values.");
        }

        if (call["_meta"] is { } meta && FindInvalidText(meta) is not null)
        {
            throw InvalidParams("params._meta holds text that is not valid UTF-16 (a lone surrogate).");
        }

        string? problem = null;
        foreach (var (argumentName, value) in (arguments as JsonObject)?.ToList() ?? [])
        {
            while (value is not null && FindInvalidText(value) is { } invalid)
            {
                problem ??= $"'{argumentName}' is not valid text: it contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)";
                invalid.ReplaceWith(string.Empty);
                if (ReferenceEquals(invalid, value))
                {
                    break;
                }
            }
        }

        return problem;
    }

    /// <summary>The first string value under <paramref name="node"/> that cannot be read as text, or null.</summary>
    private static JsonValue? FindInvalidText(JsonNode node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => IsValidText(value) ? null : value,
        JsonObject obj => obj.Select(p => p.Value is null ? null : FindInvalidText(p.Value)).FirstOrDefault(v => v is not null),
        JsonArray array => array.Select(item => item is null ? null : FindInvalidText(item)).FirstOrDefault(v => v is not null),
        _ => null,
    };

    private static bool IsValidText(JsonValue value)
    {
        // Text that is valid UTF-8 without a \u escape (only an escape can make a lone surrogate) is valid UTF-16 too:
        // it is checked where it lies instead of being read into a string (a 400-character invoice) only to be dropped.
        if (value.TryGetValue<JsonElement>(out var element) && JsonMarshal.GetRawUtf8Value(element) is var raw
            && raw.IndexOf("\\u"u8) < 0 && Utf8.IsValid(raw))
        {
            return true;
        }

        try
        {
            _ = value.GetValue<string>();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static McpProtocolException InvalidParams(string message) => new("Invalid params: " + message, McpErrorCode.InvalidParams);
}
