using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace LnbitsMcp.Edge.Telemetry;

/// <summary>
/// Tags the edge's request span with the MCP method and tool it carries, so the trace list shows
/// <c>tools/call pay_invoice</c> instead of the route. Clients of the 2026-07-28 revision say it in the
/// <c>Mcp-Method</c> / <c>Mcp-Name</c> headers; for older clients the first JSON-RPC message of a small
/// POST body is read (in the request pipe, not consumed: forwarded unchanged); the REST debug route names the tool in its path.
/// </summary>
public static class McpRequestTagging
{
    public const string MethodHeader = "Mcp-Method";
    public const string NameHeader = "Mcp-Name";

    /// <summary>The REST debug route, <c>POST /tools/{name}</c>: a <c>tools/call</c> of the tool its path names.</summary>
    public const string RestToolsPath = "/tools";

    /// <summary>Bodies up to this size are read for the method; larger ones keep the route name.</summary>
    public const int MaxPeekBytes = 64 * 1024;

    public static Task TagAsync(HttpContext context, Func<Task> next)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { IsAllDataRequested: true } activity
            || !HttpMethods.IsPost(context.Request.Method))
        {
            return next();
        }

        var headers = context.Request.Headers;
        if (context.Request.Path.StartsWithSegments(RestToolsPath, out var tool))
        {
            McpSpanNames.Tag(activity, McpSpanNames.ToolsCallMethod, tool.Value?.TrimStart('/'));
            return next();
        }

        if (headers.TryGetValue(MethodHeader, out var methodHeader))
        {
            McpSpanNames.Tag(activity, methodHeader.ToString(), McpSpanNames.DecodeHeaderValue(headers[NameHeader].ToString()));
            return next();
        }

        return TagFromBodyAsync(context, activity, next);
    }

    /// <summary>
    /// Reads the whole body (small, of a known length) in Kestrel's request pipe without consuming it: the proxy then
    /// forwards it as it came, with no copy. A body already received (nearly always) is read without an async layer.
    /// </summary>
    private static Task TagFromBodyAsync(HttpContext context, Activity activity, Func<Task> next)
    {
        var request = context.Request;
        if (request.ContentLength is not (> 0 and <= MaxPeekBytes) || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return next();
        }

        var pending = request.BodyReader.ReadAsync(context.RequestAborted);
        while (pending.IsCompletedSuccessfully)
        {
            if (TagWhenWhole(request, activity, pending.Result))
            {
                return next();
            }

            pending = request.BodyReader.ReadAsync(context.RequestAborted);
        }

        return TagFromBodyArrivingAsync(request, activity, pending, next);
    }

    private static async Task TagFromBodyArrivingAsync(HttpRequest request, Activity activity, ValueTask<ReadResult> pending, Func<Task> next)
    {
        while (!TagWhenWhole(request, activity, await pending))
        {
            pending = request.BodyReader.ReadAsync(request.HttpContext.RequestAborted);
        }

        await next();
    }

    /// <summary>Tags the span once the body is all there (true); else marks what is there as seen, nothing as consumed (false).</summary>
    private static bool TagWhenWhole(HttpRequest request, Activity activity, ReadResult read)
    {
        var body = read.Buffer;
        if (body.Length < request.ContentLength && !read.IsCompleted && !read.IsCanceled)
        {
            request.BodyReader.AdvanceTo(body.Start, body.End);
            return false;
        }

        var (method, toolName) = Parse(body);
        request.BodyReader.AdvanceTo(body.Start);
        McpSpanNames.Tag(activity, method, toolName);
        return true;
    }

    /// <summary>The <c>method</c> and <c>params.name</c> of a single JSON-RPC message; nulls for anything else.</summary>
    public static (string? Method, string? ToolName) Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_readerOptions);
        return Parse(ref reader);
    }

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte})"/>
    public static (string? Method, string? ToolName) Parse(in ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_readerOptions);
        return Parse(ref reader);
    }

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 64 };

    private static (string? Method, string? ToolName) Parse(ref Utf8JsonReader reader)
    {
        string? method = null;
        string? name = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (method is null || name is null)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                {
                    break;
                }

                var isMethod = reader.ValueTextEquals("method"u8);
                var isParams = reader.ValueTextEquals("params"u8);
                if (!reader.Read())
                {
                    break;
                }

                if (isMethod && reader.TokenType == JsonTokenType.String)
                {
                    method = reader.GetString();
                }
                else if (isParams && reader.TokenType == JsonTokenType.StartObject)
                {
                    name = ReadName(ref reader);
                    continue;
                }

                if (!reader.TrySkip())
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // Not ours to judge: the server answers malformed JSON; the span keeps its route name.
        }

        return (method, name);
    }

    private static string? ReadName(ref Utf8JsonReader reader)
    {
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            if (!reader.Read())
            {
                break;
            }

            if (isName && reader.TokenType == JsonTokenType.String)
            {
                name = reader.GetString();
            }

            if (!reader.TrySkip())
            {
                break;
            }
        }

        return name;
    }
}
