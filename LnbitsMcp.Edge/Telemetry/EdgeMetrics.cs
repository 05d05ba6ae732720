using System.Diagnostics.Metrics;

namespace LnbitsMcp.Edge.Telemetry;

/// <summary>The edge's instruments on the <c>LnbitsMcp</c> meter (CONTRACT §6).</summary>
public static class EdgeMetrics
{
    public const string MeterName = "LnbitsMcp";
    public const string SessionTag = "lnbits_mcp.session";

    private static readonly Meter s_meter = new(MeterName);

    public static Counter<long> RouteLookups { get; } = s_meter.CreateCounter<long>(
        "lnbits_mcp.edge.session_routes", unit: "{lookup}", description: "Session route lookups at the edge by result (hit, hit_redis, miss, failover).");

    public static Counter<long> RateLimitRejections { get; } = s_meter.CreateCounter<long>(
        "lnbits_mcp.edge.rate_limited", unit: "{request}", description: "Requests rejected with 429 by partition kind (session, client_address, new_session).");
}
