using OpenTelemetry.Metrics;

namespace LnbitsMcp.Edge.Telemetry;

public static class EdgeTelemetryExtensions
{
    /// <summary>
    /// The edge's meter on top of the service defaults; every log line scrubbed of values named like secrets
    /// (a legacy <c>?sessionId=</c>, <c>Mcp-Session-Id</c>, keys). A forwarded request's trace is the edge's
    /// request span and its HTTP client span to the instance: YARP's own forwarder span between the two
    /// (source <c>Yarp.ReverseProxy</c>) said nothing they do not, and cost a third activity per request.
    /// </summary>
    public static WebApplicationBuilder AddEdgeTelemetry(this WebApplicationBuilder builder)
    {
        RedactingLoggerFactory.AddTo(builder.Services, SecretNames.ScrubNamedValues);
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(EdgeMetrics.MeterName));
        return builder;
    }
}
