using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Generic HTTP guards for MCP endpoints (CONTRACT §3): Host and Origin validation against DNS
/// rebinding (403) and a request body limit (413), both answered with a JSON-RPC error body.
/// Configuration section <c>Http</c>.
/// </summary>
public sealed class RequestGuardOptions
{
    public const string SectionName = "Http";

    /// <summary>Host names (no port) this service answers to; <c>*</c> accepts any (for services behind a platform ingress).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Browser origins allowed besides the service's own host, e.g. <c>https://inspector.example</c>; <c>*</c> accepts any (for services only the edge can reach).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    internal static readonly string[] DefaultHosts = ["localhost", "127.0.0.1", "::1", "[::1]"];
}

public static partial class RequestGuards
{
    public static TBuilder AddRequestGuards<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RequestGuardOptions>().BindConfiguration(RequestGuardOptions.SectionName);
        return builder;
    }

    /// <summary>
    /// Outermost: an unhandled exception anywhere behind it is answered 500 with a JSON-RPC error body
    /// and nothing else (no stack trace, no echoed headers, also in Development where the developer
    /// exception page would show them); the exception goes to the log. <paramref name="requestScope"/>, when
    /// given, is opened for the whole request, that log line included (one async layer for both: each layer
    /// costs every request a state machine and a continuation).
    /// </summary>
    public static IApplicationBuilder UseJsonErrors(this IApplicationBuilder app, Func<IDisposable>? requestScope = null) => app.Use(async (context, next) =>
    {
        using var scope = requestScope?.Invoke();
        try
        {
            await next(context);
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestGuards).FullName!);
            LogUnhandled(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, error.GetType().Name, error);
            context.Response.Clear();
            await WriteJsonRpcErrorAsync(context, StatusCodes.Status500InternalServerError,
                $"Internal error. Trace id: {System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier}.", -32603);
        }
    });

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, string exceptionType, Exception exception);

    /// <summary>Answers 403 for a foreign Host or Origin and 413 for a body over the limit; health endpoints are exempt.</summary>
    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app)
    {
        // The options are read once: they are bound at startup (IOptions, not a monitor), and resolving them from
        // each request's services was a lookup per request.
        var configured = app.ApplicationServices.GetRequiredService<IOptions<RequestGuardOptions>>();
        return app.Use((context, next) =>
        {
            var options = configured.Value;
            var path = context.Request.Path;
            if (path.StartsWithSegments(Extensions.HealthEndpointPath) || path.StartsWithSegments(Extensions.AlivenessEndpointPath))
            {
                return next(context);
            }

            if (!HostIsAllowed(context.Request.Host, options) || !OriginIsAllowed(context.Request, options))
            {
                return WriteJsonRpcErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden: this Host or Origin is not allowed (DNS rebinding protection).");
            }

            if (context.Request.ContentLength > options.MaxRequestBodyBytes)
            {
                return WriteJsonRpcErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request body too large: the limit is {options.MaxRequestBodyBytes} bytes.");
            }

            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
            }

            return next(context);
        });
    }

    /// <summary>
    /// Allowed: the configured names, loopback names, and any IP literal — DNS rebinding needs a
    /// host name the attacker controls, so a request addressed to an IP is not one.
    /// </summary>
    public static bool HostIsAllowed(HostString host, RequestGuardOptions options)
    {
        if (options.AllowedHosts.Contains("*") || System.Net.IPAddress.TryParse(host.Host.Trim('[', ']'), out _))
        {
            return true;
        }

        var name = host.Host;
        return !string.IsNullOrEmpty(name) && (Names(options.AllowedHosts, name) || Names(RequestGuardOptions.DefaultHosts, name));
    }

    private static bool Names(IReadOnlyList<string> hosts, string name)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            if (string.Equals(hosts[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OriginIsAllowed(HttpRequest request, RequestGuardOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true; // MCP clients that are not browsers send no Origin
        }

        if (options.AllowedOrigins.Any(o => o == "*" || string.Equals(o.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // Same origin: scheme, host and port all equal the request's (a page on localhost:9999 is not localhost:8001).
        return Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
            && string.Equals(originUri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(originUri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && originUri.Port == (request.Host.Port ?? DefaultPort(request.Scheme))
            && HostIsAllowed(new HostString(originUri.Host), options);
    }

    private static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    public static async Task WriteJsonRpcErrorAsync(HttpContext context, int status, string message, int code = -32000)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var escaped = System.Text.Json.JsonEncodedText.Encode(message);
        await context.Response.WriteAsync($$$"""{"jsonrpc":"2.0","id":null,"error":{"code":{{{code.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"message":"{{{escaped}}}"}}""", Encoding.UTF8);
    }
}
