using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire service defaults: OpenTelemetry (OTLP when configured), health checks, service
/// discovery and HTTP resilience. Nothing application-specific lives here.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";
    /// <summary>ASP.NET Core's activity source: its request spans.</summary>
    internal const string AspNetCoreSource = "Microsoft.AspNetCore";
    /// <summary>HttpClient's activity source: its client spans, which it tags with the HTTP semantic conventions itself.</summary>
    internal const string HttpClientSource = "System.Net.Http";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        // No service discovery on HttpClients: every outbound call of ours goes to a URL a user chose (LNbits,
        // LNURL, L402, client metadata documents), which must mean what it says — not a service name this
        // deployment's configuration resolves — and its resolver cost a lookup and allocations on every request.
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries only for safe methods: a retried POST can pay twice.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // ASP.NET Core tags its own request span with the HTTP semantic conventions (the default from .NET 11):
        // the same tags OpenTelemetry's ASP.NET Core instrumentation added from a DiagnosticListener on every
        // request, without that listener's work (≈ 4 µs of a tool call's CPU). Health probes are left out by the sampler.
        // HttpClient tags its client spans itself too (its System.Net.Http source), so OpenTelemetry's HttpClient
        // instrumentation is kept for metrics only: its listener added the same tags again (≈ 1.4 µs per request at the edge).
        AppContext.SetSwitch("Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData", false);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .SetSampler(new RequestRootSampler())
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(AspNetCoreSource)
                .AddSource(HttpClientSource)
                .AddProcessor(new McpRequestSpanNamer())
                .AddProcessor(new FailedBackgroundSpanProcessor()));

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    /// <summary><c>/health</c>, <c>/alive</c> and what is below them (segment by segment, ignoring case): the probes.</summary>
    internal static bool IsHealthPath(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Maps <c>/health</c> (every check) and <c>/alive</c> (liveness only).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        return app;
    }
}
