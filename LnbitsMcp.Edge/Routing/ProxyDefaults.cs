using Microsoft.Extensions.Configuration.Memory;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// The edge's routes and cluster (YARP's <c>ReverseProxy</c> section) as lowest-precedence defaults:
/// /mcp, /sse, /message, the OAuth and page routes (/.well-known, /oauth, /connections, /approve) and the REST debug
/// route (/tools) to the cluster <c>servers</c>, least-loaded choice, active and passive
/// health checks, no buffering and a long idle timeout for SSE. Destinations come from
/// configuration (the AppHost sets one per server instance); any value can be overridden.
/// </summary>
public static class ProxyDefaults
{
    public const string ClusterId = "servers";

    private static readonly Dictionary<string, string?> s_values = new()
    {
        ["ReverseProxy:Routes:mcp:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:mcp:Match:Path"] = "/mcp/{**rest}",
        ["ReverseProxy:Routes:legacy-sse:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:legacy-sse:Match:Path"] = "/sse",
        ["ReverseProxy:Routes:legacy-sse:Match:Methods:0"] = "GET",
        ["ReverseProxy:Routes:legacy-message:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:legacy-message:Match:Path"] = "/message",
        ["ReverseProxy:Routes:legacy-message:Match:Methods:0"] = "POST",
        // OAuth and the pages keep their state in Redis: any healthy instance serves them (no session routing).
        ["ReverseProxy:Routes:well-known:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:well-known:Match:Path"] = "/.well-known/{**rest}",
        ["ReverseProxy:Routes:oauth:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:oauth:Match:Path"] = "/oauth/{**rest}",
        ["ReverseProxy:Routes:connections:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:connections:Match:Path"] = "/connections/{**rest}",
        ["ReverseProxy:Routes:approve:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:approve:Match:Path"] = "/approve/{**rest}",
        // The REST debug route: session-less calls (state in Redis), so any healthy instance too.
        ["ReverseProxy:Routes:tools:ClusterId"] = ClusterId,
        ["ReverseProxy:Routes:tools:Match:Path"] = "/tools/{**rest}",
        [$"ReverseProxy:Clusters:{ClusterId}:LoadBalancingPolicy"] = "PowerOfTwoChoices",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Active:Enabled"] = "true",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Active:Interval"] = "00:00:05",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Active:Timeout"] = "00:00:03",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Active:Policy"] = "ConsecutiveFailures",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Active:Path"] = "/health",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Passive:Enabled"] = "true",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Passive:Policy"] = "TransportFailureRate",
        [$"ReverseProxy:Clusters:{ClusterId}:HealthCheck:Passive:ReactivationPeriod"] = "00:00:10",
        [$"ReverseProxy:Clusters:{ClusterId}:HttpRequest:ActivityTimeout"] = "01:00:00",
        [$"ReverseProxy:Clusters:{ClusterId}:HttpRequest:AllowResponseBuffering"] = "false",
    };

    public static WebApplicationBuilder AddProxyDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = s_values });
        return builder;
    }
}
