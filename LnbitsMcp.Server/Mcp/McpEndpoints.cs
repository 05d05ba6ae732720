using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LnbitsMcp.Server.Mcp;

/// <summary>Maps MCP: Streamable HTTP at <c>/mcp</c> and the legacy HTTP+SSE transport at <c>/sse</c> + <c>/message</c>.</summary>
public static class McpEndpoints
{
    public const string StreamableHttpPath = "/mcp";
    public const string LegacySsePath = "/sse";
    public const string LegacyMessagePath = "/message";

    public static WebApplication MapLnbitsMcp(this WebApplication app)
    {
        // The SDK maps the legacy transport under the MCP route (/mcp/sse, /mcp/message). The seed's
        // clients use /sse and /message, and the SSE handler names the message URL after the path
        // the stream was opened on, so the root aliases run the SDK's own handlers: a stream opened
        // at /sse announces /message?sessionId=….
        app.UseWhen(IsMcpRequest, branch => branch.Use(GuardMcpRequestAsync));
        app.MapMcp(StreamableHttpPath);
        var handlers = new Lazy<(RequestDelegate Sse, RequestDelegate Message)>(() => (
            FindSdkHandler(app, StreamableHttpPath + LegacySsePath, HttpMethods.Get),
            FindSdkHandler(app, StreamableHttpPath + LegacyMessagePath, HttpMethods.Post)));
        app.MapGet(LegacySsePath, context => handlers.Value.Sse(context));
        app.MapPost(LegacyMessagePath, context => handlers.Value.Message(context));
        return app;
    }

    internal static bool IsMcpRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments(StreamableHttpPath)
        || context.Request.Path.StartsWithSegments(LegacySsePath)
        || context.Request.Path.StartsWithSegments(LegacyMessagePath);

    /// <summary>
    /// Before the SDK: a POST body must be JSON (415 otherwise, instead of the SDK's exception), and a
    /// client address over its transport-session cap gets 429 (thrown by <see cref="TransportSessionLimiter"/>).
    /// A Streamable HTTP POST's priming event waits briefly for its answer (<see cref="PrimingEventHold"/>), and the
    /// event store sees the answer's bytes (<see cref="RedisEventStreamStore.Sent"/>).
    /// </summary>
    private static async Task GuardMcpRequestAsync(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && !IsJson(context.Request.ContentType))
        {
            await RequestGuards.WriteJsonRpcErrorAsync(context, StatusCodes.Status415UnsupportedMediaType,
                "Unsupported Media Type: MCP messages are POSTed as Content-Type: application/json.", -32700);
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method) && await FindUnstructuredParamsAsync(context.Request) is { } requestId)
        {
            await WriteInvalidParamsAsync(context, requestId);
            return;
        }

        var body = context.Response.Body;
        var hold = IsStreamableHttpPost(context)
            ? PrimingEventHold.Install(context, PrimingEventHold.DefaultHold, TimeProvider.System, context.RequestServices.GetService<RedisEventStreamStore>())
            : null;
        try
        {
            await next(context);
        }
        catch (TransportSessionLimitException error) when (!context.Response.HasStarted)
        {
            hold?.DiscardHeld();
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "60";
            await RequestGuards.WriteJsonRpcErrorAsync(context, StatusCodes.Status429TooManyRequests, error.Message);
        }
        finally
        {
            if (hold is not null)
            {
                await hold.ReleaseAsync();
                context.Response.Body = body;
            }
        }
    }

    private static bool IsStreamableHttpPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(StreamableHttpPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The id of a JSON-RPC request whose <c>params</c> is neither an object nor an array (JSON-RPC 2.0
    /// §4.2: params are structured), which the SDK would answer with a generic internal error; else null.
    /// The body is not parsed twice: its bytes are looked at in Kestrel's request pipe without being
    /// consumed (the SDK then reads them once), and only as far as the <c>params</c> token, which
    /// JSON-RPC messages carry near their start. Only a body with bad params is parsed (for its id).
    /// </summary>
    private static async Task<JsonElement?> FindUnstructuredParamsAsync(HttpRequest request)
    {
        var body = request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(request.HttpContext.RequestAborted);
            var buffer = read.Buffer;
            var verdict = ScanParams(buffer, read.IsCompleted);
            if (verdict == ParamsVerdict.NeedMore)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            try
            {
                return verdict == ParamsVerdict.Unstructured ? RequestIdOfUnstructured(buffer) : null;
            }
            finally
            {
                body.AdvanceTo(buffer.Start); // nothing consumed: the SDK reads the whole body
            }
        }
    }

    private enum ParamsVerdict
    {
        Fine,
        Unstructured,
        NeedMore,
    }

    private static ParamsVerdict ScanParams(ReadOnlySequence<byte> buffer, bool complete)
    {
        var more = complete ? ParamsVerdict.Fine : ParamsVerdict.NeedMore; // a complete body that ends early is not ours to judge
        try
        {
            var json = new Utf8JsonReader(buffer, complete, default);
            if (!json.Read())
            {
                return more;
            }

            if (json.TokenType != JsonTokenType.StartObject)
            {
                return ParamsVerdict.Fine; // a batch or not a message: the SDK answers
            }

            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var isParams = json.ValueTextEquals("params"u8);
                if (!json.Read())
                {
                    return more;
                }

                if (isParams)
                {
                    return json.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? ParamsVerdict.Fine : ParamsVerdict.Unstructured;
                }

                if (!json.TrySkip())
                {
                    return more;
                }
            }

            return json.TokenType == JsonTokenType.EndObject ? ParamsVerdict.Fine : more;
        }
        catch (JsonException)
        {
            return ParamsVerdict.Fine; // not JSON at all: the SDK answers that itself
        }
    }

    private static JsonElement? RequestIdOfUnstructured(ReadOnlySequence<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var message = JsonDocument.ParseValue(ref reader);
            return message.RootElement.TryGetProperty("method", out _)
                ? message.RootElement.TryGetProperty("id", out var id) ? id.Clone() : default(JsonElement)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteInvalidParamsAsync(HttpContext context, JsonElement requestId)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (requestId.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            requestId.WriteTo(writer);
        }

        writer.WriteStartObject("error");
        writer.WriteNumber("code", -32602);
        writer.WriteString("message", "Invalid params: params must be an object (for tools/call: {\"name\": <tool name>, \"arguments\": {…}}).");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static bool IsJson(string? contentType) =>
        string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase) // what MCP clients send: no parse needed
        || (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The request delegate the SDK mapped for <paramref name="method"/> <paramref name="route"/> (the REST route runs it in process too).</summary>
    internal static RequestDelegate FindSdkHandler(WebApplication app, string route, string method)
    {
        var dataSource = app.Services.GetRequiredService<EndpointDataSource>();
        var endpoint = dataSource.Endpoints
            .OfType<RouteEndpoint>()
            .FirstOrDefault(e => string.Equals(Normalize(e.RoutePattern), route, StringComparison.OrdinalIgnoreCase)
                && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(method) == true);
        return endpoint?.RequestDelegate
            ?? throw new InvalidOperationException($"The MCP SDK did not map {method} {route}; is legacy SSE enabled?");
    }

    private static string Normalize(RoutePattern pattern) => "/" + (pattern.RawText ?? string.Empty).Trim('/');
}
