using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace LnbitsMcp.Edge.Telemetry;

/// <summary>
/// Tags the edge's request span with the MCP method and tool it carries, so the trace list shows
/// <c>tools/call pay_invoice</c> instead of the route. Clients of the 2026-07-28 revision say it in the
/// <c>Mcp-Method</c> / <c>Mcp-Name</c> headers; for older clients the first JSON-RPC message of a small
/// POST body is read (buffered, then forwarded unchanged); the REST debug route names the tool in its path.
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

    private static async Task TagFromBodyAsync(HttpContext context, Activity activity, Func<Task> next)
    {
        var (method, toolName) = await ReadFirstMessageAsync(context.Request, context.RequestAborted);
        McpSpanNames.Tag(activity, method, toolName);
        await next();
    }

    private static async Task<(string? Method, string? ToolName)> ReadFirstMessageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not (> 0 and <= MaxPeekBytes) || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, null);
        }

        var length = (int)request.ContentLength.Value;

        request.EnableBuffering(MaxPeekBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = 0;
            while (read < length && await request.Body.ReadAsync(buffer.AsMemory(read, length - read), cancellationToken) is var n and > 0)
            {
                read += n;
            }

            request.Body.Position = 0;
            return Parse(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The <c>method</c> and <c>params.name</c> of a single JSON-RPC message; nulls for anything else.</summary>
    public static (string? Method, string? ToolName) Parse(ReadOnlySpan<byte> json)
    {
        string? method = null;
        string? name = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
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
