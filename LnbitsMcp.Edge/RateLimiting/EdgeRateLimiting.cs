using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using LnbitsMcp.Edge.Routing;
using LnbitsMcp.Edge.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Edge.RateLimiting;

/// <summary>
/// Token buckets partitioned by MCP session and by client address, with a separate bucket for
/// requests that open sessions and a session-sized one per client address for the REST debug route
/// (<c>/tools</c>). Over the limit: 429 with <c>Retry-After</c> and a JSON-RPC error body. Health
/// endpoints are exempt. The client address is the connection's, or the forwarded one only when the
/// connection comes from a trusted proxy (see <c>ForwardedHeaders</c>).
/// </summary>
public static class EdgeRateLimiting
{
    private const string KindItem = "LnbitsMcp.Edge.RateLimitKind";

    public static WebApplicationBuilder AddEdgeRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeRateLimitOptions>()
            .BindConfiguration(EdgeRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSingleton<RateLimitPartitionCounter>();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<EdgeRateLimitOptions>, RateLimitPartitionCounter>((options, limits, counter) =>
        {
            var buckets = new BucketFactories(limits.Value, counter);
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => SessionPartition(context, buckets)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => AddressPartition(context, buckets)));
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    private static RateLimitPartition<string> SessionPartition(HttpContext context, BucketFactories buckets)
    {
        if (IsExempt(context))
        {
            return RateLimitPartition.GetNoLimiter("exempt");
        }

        if (IsRestToolCall(context.Request))
        {
            // The REST debug route has no MCP session (a session_id, if any, is inside the body): its calls get a
            // session's bucket per client address, on top of the address's own.
            return new("rest:" + Address(context), buckets.Session);
        }

        if (SessionKey.FromRequest(context.Request) is { } sessionKey)
        {
            // A bucket per session only for sessions this edge routes: forged or expired ids share one
            // bucket per client address, so misses cannot grow the partition table.
            return context.RequestServices.GetRequiredService<SessionRouter>().Knows(sessionKey)
                ? new("session:" + sessionKey, buckets.Session)
                : new("unknown-session:" + Address(context), buckets.Session);
        }

        if (OpensSession(context.Request))
        {
            return new("new:" + Address(context), buckets.NewSession);
        }

        return RateLimitPartition.GetNoLimiter("none");
    }

    private static RateLimitPartition<string> AddressPartition(HttpContext context, BucketFactories buckets) =>
        IsExempt(context) ? RateLimitPartition.GetNoLimiter("exempt") : new("address:" + Address(context), buckets.ClientAddress);

    /// <summary>
    /// One token-bucket factory per kind of partition, made once: a partition is looked up on every request, and
    /// its factory runs only when its key has no bucket yet.
    /// </summary>
    private sealed class BucketFactories(EdgeRateLimitOptions limits, RateLimitPartitionCounter counter)
    {
        public Func<string, RateLimiter> Session { get; } = Factory(limits.Session, counter);

        public Func<string, RateLimiter> NewSession { get; } = Factory(limits.NewSession, counter);

        public Func<string, RateLimiter> ClientAddress { get; } = Factory(limits.ClientAddress, counter);

        private static Func<string, RateLimiter> Factory(EdgeRateLimitOptions.TokenBucket bucket, RateLimitPartitionCounter counter) => key =>
        {
            counter.Created(key);
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = bucket.TokenLimit,
                TokensPerPeriod = bucket.TokensPerPeriod,
                ReplenishmentPeriod = bucket.ReplenishmentPeriod,
                QueueLimit = 0,
                // The partitioned limiter refills its buckets from one timer (as RateLimitPartition.GetTokenBucketLimiter
                // arranges); a bucket replenishing itself would start a timer per partition.
                AutoReplenishment = false,
            });
        };
    }

    private static bool IsExempt(HttpContext context) =>
        context.Request.Path.StartsWithSegments(global::Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
        || context.Request.Path.StartsWithSegments(global::Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath);

    private static bool IsRestToolCall(HttpRequest request) => request.Path.StartsWithSegments(McpRequestTagging.RestToolsPath);

    private static bool OpensSession(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/mcp"))
        || (HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments("/sse"));

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var kind = IsRestToolCall(context.Request) ? "rest_tools"
            : SessionKey.FromRequest(context.Request) is not null ? "session" : OpensSession(context.Request) ? "new_session" : "client_address";
        EdgeMetrics.RateLimitRejections.Add(1, new KeyValuePair<string, object?>("kind", kind));
        await RequestGuards.WriteJsonRpcErrorAsync(context, StatusCodes.Status429TooManyRequests,
            $"Rate limit exceeded; retry after {seconds} s.");
    }
}
