using System.Text.Encodings.Web;
using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Rest;

/// <summary>
/// The seed's REST debug route (CONTRACT §10): <c>POST /tools/{name}</c> with <c>{"name": "&lt;name&gt;", "arguments": {…}}</c>
/// answers 200 with the tool result as JSON (<c>content</c>, <c>structuredContent</c>, <c>isError</c>). A thin
/// adapter: the call runs through the MCP tool pipeline itself (<see cref="InProcessToolCall"/>), after the same
/// middleware as <c>/mcp</c> (Host/Origin, body size, bearer token and scope). A REST call has no MCP transport
/// session: its session is the OAuth token's connection, the <c>session_id</c> argument or the <c>X-LNbits-*</c>
/// headers. Refusals answer with the JSON-RPC error body the MCP endpoints use: unknown tool 404, a body that is
/// not JSON or not <c>{"name", "arguments"}</c> 400, another content type 415; JSON-RPC errors of the call
/// itself (e.g. <c>arguments</c> not an object) 400.
/// </summary>
public static class RestToolEndpoints
{
    public const string Path = "/tools";

    public static IHostApplicationBuilder AddRestTools(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RestToolOptions>()
            .BindConfiguration(RestToolOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Maps <c>POST /tools/{name}</c> unless <c>Http:EnableRestTools</c> is false (then nothing answers there: 404).</summary>
    public static WebApplication MapRestTools(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<RestToolOptions>>().Value.EnableRestTools)
        {
            return app;
        }

        var sdkHandler = new Lazy<RequestDelegate>(() => McpEndpoints.FindSdkHandler(app, McpEndpoints.StreamableHttpPath, HttpMethods.Post));
        var call = new InProcessToolCall(() => sdkHandler.Value);
        app.MapPost(Path + "/{name}", context => CallToolAsync(context, call));
        return app;
    }

    /// <summary>The tool a <c>/tools/{name}</c> path names, or null for other paths.</summary>
    public static string? ToolName(PathString path) =>
        path.StartsWithSegments(Path, out var rest) && rest.Value is { Length: > 1 } name && name.IndexOf('/', 1) < 0 ? name[1..] : null;

    private static async Task CallToolAsync(HttpContext context, InProcessToolCall call)
    {
        var name = ToolName(context.Request.Path)!;
        var tools = context.RequestServices.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection;
        if (tools is null || !tools.TryGetPrimitive(name, out _))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound,
                $"Unknown tool '{name}'. Tools: {string.Join(", ", (tools ?? []).Select(t => t.ProtocolTool.Name).Order(StringComparer.Ordinal))}.", InvalidParams);
            return;
        }

        if (!McpEndpoints.IsJson(context.Request.ContentType))
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType,
                "Unsupported Media Type: POST the call as Content-Type: application/json.", ParseError);
            return;
        }

        if (await ReadBodyAsync(context) is not { } body)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                $"Parse error: the body must be JSON: {{\"name\": \"{name}\", \"arguments\": {{…}}}}.", ParseError);
            return;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                $"invalid_argument: the body must be an object: {{\"name\": \"{name}\", \"arguments\": {{…}}}}.", InvalidParams);
            return;
        }

        if (body.TryGetProperty("name", out var bodyName) && !(bodyName.ValueKind == JsonValueKind.String && bodyName.ValueEquals(name)))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                $"invalid_argument: the body's name must be the tool named in the path ('{name}'), or be left out.", InvalidParams);
            return;
        }

        var answer = await call.CallAsync(context, name, body.TryGetProperty("arguments", out var arguments) ? arguments : null);
        if (answer.Message.TryGetProperty("result", out var result))
        {
            await WriteToolResultAsync(context, result);
        }
        else
        {
            await WriteCallErrorAsync(context, answer);
        }
    }

    private static async Task<JsonElement?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>200 with <c>content</c>, <c>structuredContent</c> (when the tool gave one) and <c>isError</c>.</summary>
    private static async Task WriteToolResultAsync(HttpContext context, JsonElement result)
    {
        await using var writer = StartJson(context, StatusCodes.Status200OK);
        writer.WriteStartObject();
        writer.WritePropertyName("content");
        if (result.TryGetProperty("content", out var content))
        {
            content.WriteTo(writer);
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }

        if (result.TryGetProperty("structuredContent", out var structured))
        {
            writer.WritePropertyName("structuredContent");
            structured.WriteTo(writer);
        }

        writer.WriteBoolean("isError", result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True);
        writer.WriteEndObject();
    }

    /// <summary>A JSON-RPC error of the call: the MCP handler's own HTTP status when it chose one, else by the error code.</summary>
    private static async Task WriteCallErrorAsync(HttpContext context, ToolCallAnswer answer)
    {
        var error = answer.Message.GetProperty("error");
        var status = answer.StatusCode >= 400 ? answer.StatusCode
            : error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number)
                && number == InternalError ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest;
        await using var writer = StartJson(context, status);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNull("id");
        writer.WritePropertyName("error");
        error.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary>The route's own refusals, in the JSON-RPC error body of the MCP endpoints' refusals.</summary>
    private static async Task WriteErrorAsync(HttpContext context, int status, string message, int code)
    {
        await using var writer = StartJson(context, status);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNull("id");
        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// A JSON answer, never cached (results can hold a new session_id), written readably for curl (no \u-escapes of
    /// quotes or apostrophes; the content type is JSON and not sniffable, so no HTML context reads it).
    /// </summary>
    private static Utf8JsonWriter StartJson(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private const int ParseError = -32700;
    private const int InvalidParams = -32602;
    private const int InternalError = -32603;
}
