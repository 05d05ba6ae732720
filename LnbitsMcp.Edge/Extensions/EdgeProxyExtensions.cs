using LnbitsMcp.Edge.Routing;
using Yarp.ReverseProxy.Transforms;

namespace LnbitsMcp.Edge.Extensions;

public static class EdgeProxyExtensions
{
    /// <summary>
    /// YARP from the <c>ReverseProxy</c> section (routes /mcp, /sse, /message to the cluster
    /// <c>servers</c>; the AppHost adds one destination per server instance) with session routing.
    /// </summary>
    public static WebApplicationBuilder AddEdgeProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionRouteTable>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(transforms => transforms.AddResponseTransform(SessionRouteLearning.LearnAsync));
        return builder;
    }

    public static WebApplication MapEdgeProxy(this WebApplication app)
    {
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(SessionRoutingMiddleware.RouteBySessionAsync);
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }
}
