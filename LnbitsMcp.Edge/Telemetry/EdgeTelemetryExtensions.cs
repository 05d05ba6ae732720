using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LnbitsMcp.Edge.Telemetry;

public static class EdgeTelemetryExtensions
{
    /// <summary>
    /// The edge's meter and YARP's own activity source, on top of the service defaults; every log line
    /// scrubbed of values named like secrets (a legacy <c>?sessionId=</c>, <c>Mcp-Session-Id</c>, keys).
    /// </summary>
    public static WebApplicationBuilder AddEdgeTelemetry(this WebApplicationBuilder builder)
    {
        RedactingLoggerFactory.AddTo(builder.Services, SecretNames.ScrubNamedValues);
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(EdgeMetrics.MeterName));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource("Yarp.ReverseProxy"));
        return builder;
    }
}
