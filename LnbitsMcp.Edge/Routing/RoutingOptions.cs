namespace LnbitsMcp.Edge.Routing;

public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>Sliding lifetime of a session → instance route (match the servers' Sessions:IdleTimeout).</summary>
    public TimeSpan SessionRouteLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How often a route used from memory has its lifetime in Redis refreshed.</summary>
    public TimeSpan RedisRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
