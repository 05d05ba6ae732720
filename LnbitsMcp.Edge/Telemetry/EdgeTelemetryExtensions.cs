using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LnbitsMcp.Edge.Telemetry;

public static class EdgeTelemetryExtensions
{
    /// <summary>The edge's meter and YARP's own activity source, on top of the service defaults.</summary>
    public static WebApplicationBuilder AddEdgeTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(EdgeMetrics.MeterName));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource("Yarp.ReverseProxy"));
        return builder;
    }
}
