using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LnbitsMcp.Server.Telemetry;

public static class ServerTelemetryExtensions
{
    /// <summary>
    /// Our and the MCP SDK's sources and meters, the tool-span tags, the live-session gauge and the
    /// redaction (every logger provider, the span and log-record processors, HttpClient header logs), on top of the service defaults (which export OTLP when configured).
    /// </summary>
    public static IHostApplicationBuilder AddServerTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ToolSpanEnricher>();
        builder.Services.AddHostedService<ActiveSessionsGauge>();
        builder.Services.ConfigureOpenTelemetryTracerProvider((services, tracing) => tracing
            .AddSource(TelemetryNames.SourceName, TelemetryNames.SdkSourceName)
            .AddProcessor(services.GetRequiredService<ToolSpanEnricher>())
            .AddProcessor(new McpRequestSpanTagger(services.GetRequiredService<IHttpContextAccessor>()))
            .AddProcessor(new ToolErrorStatusProcessor())
            .AddProcessor(new RedactingActivityProcessor()));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(TelemetryNames.MeterName, TelemetryNames.SdkSourceName));
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new RedactingLogProcessor()));
        RedactingLoggerFactory.AddTo(builder.Services, TelemetryText.Scrub);

        // HttpClient's request/response header logs (Trace) carry X-Api-Key and Authorization: no header value is logged.
        builder.Services.ConfigureHttpClientDefaults(http => http.RedactLoggedHeaders(_ => true));
        return builder;
    }
}
