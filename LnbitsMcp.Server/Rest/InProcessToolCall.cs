using System.Net.ServerSentEvents;
using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using Microsoft.AspNetCore.Http.Features;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Rest;

/// <summary>What the MCP handler answered a <c>tools/call</c>: its HTTP status and the JSON-RPC response or error.</summary>
public readonly record struct ToolCallAnswer(int StatusCode, JsonElement Message);

/// <summary>
/// Runs one <c>tools/call</c> through the MCP SDK's own Streamable HTTP handler (<c>POST /mcp</c>), in process, as
/// a session-less 2026-07-28 request made by the caller of the REST route: a second <see cref="HttpContext"/>
/// whose request is the JSON-RPC message and whose response is captured, every other feature (user, request
/// services, connection and its client address, cancellation) the caller's own. So the call passes the same
/// SDK pipeline as over MCP: the message filter, <see cref="ToolCallFilter"/> (argument validation, session
/// resolution, OAuth connection, telemetry, error mapping), the tool and its payment policy. The request
/// declares no client capabilities: no elicitation, so a payment above the threshold takes the no-elicitation
/// path. <see cref="ToolCallFilter"/> reads the <c>X-LNbits-*</c> headers from the caller's request (through
/// <see cref="IHttpContextAccessor"/>, which keeps pointing at it).
/// </summary>
public sealed class InProcessToolCall(Func<RequestDelegate> mcpPostHandler)
{
    /// <summary>The session-less revision: no <c>initialize</c>, no <c>Mcp-Session-Id</c>, capabilities in each request's <c>_meta</c>.</summary>
    public const string ProtocolVersion = "2026-07-28";

    private const int RequestId = 1;

    public async Task<ToolCallAnswer> CallAsync(HttpContext caller, string toolName, JsonElement? arguments)
    {
        var features = new FeatureCollection(caller.Features);
        var request = new HttpRequestFeature
        {
            Protocol = caller.Request.Protocol,
            Scheme = caller.Request.Scheme,
            Method = HttpMethods.Post,
            PathBase = caller.Request.PathBase,
            Path = McpEndpoints.StreamableHttpPath,
            Body = new MemoryStream(Message(toolName, arguments), writable: false),
        };
        request.Headers.ContentType = "application/json";
        request.Headers.Accept = "application/json, text/event-stream";
        request.Headers["MCP-Protocol-Version"] = ProtocolVersion;
        request.Headers["Mcp-Method"] = RequestMethods.ToolsCall;
        request.Headers["Mcp-Name"] = toolName;
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        using var captured = new MemoryStream();
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(captured));
        var call = new DefaultHttpContext(features);
        features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(call));

        await mcpPostHandler()(call);

        captured.Position = 0;
        if (call.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
        {
            await foreach (var item in SseParser.Create(captured).EnumerateAsync(caller.RequestAborted))
            {
                using var message = JsonDocument.Parse(item.Data);
                if (IsAnswer(message.RootElement))
                {
                    return new ToolCallAnswer(call.Response.StatusCode, message.RootElement.Clone());
                }
            }

            throw new InvalidOperationException("The MCP handler's event stream ended without an answer to the tools/call request.");
        }

        using var error = await JsonDocument.ParseAsync(captured, cancellationToken: caller.RequestAborted);
        return new ToolCallAnswer(call.Response.StatusCode, error.RootElement.Clone());
    }

    /// <summary>The JSON-RPC request: the caller's arguments verbatim (the SDK and the call filter judge them, as over MCP).</summary>
    private static byte[] Message(string toolName, JsonElement? arguments)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteNumber("id", RequestId);
            writer.WriteString("method", RequestMethods.ToolsCall);
            writer.WriteStartObject("params");
            writer.WriteString("name", toolName);
            if (arguments is { } value)
            {
                writer.WritePropertyName("arguments");
                writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
            }

            writer.WriteStartObject("_meta");
            writer.WriteString(MetaKeys.ProtocolVersion, ProtocolVersion);
            writer.WriteStartObject(MetaKeys.ClientCapabilities);
            writer.WriteEndObject();
            writer.WriteStartObject(MetaKeys.ClientInfo);
            writer.WriteString("name", "lnbits-mcp-rest-route");
            writer.WriteString("version", ServerVersion.Current);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool IsAnswer(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var number) && number == RequestId
        && (message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _));
}
