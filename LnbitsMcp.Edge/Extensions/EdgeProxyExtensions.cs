using LnbitsMcp.Edge.Routing;
using LnbitsMcp.Edge.Security;
using LnbitsMcp.Edge.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace LnbitsMcp.Edge.Extensions;

public static class EdgeProxyExtensions
{
    /// <summary>
    /// YARP from the <c>ReverseProxy</c> section (routes /mcp, /sse, /message to the cluster
    /// <c>servers</c>; the AppHost adds one destination per server instance) with session routing,
    /// routes shared through Redis when <c>ConnectionStrings:redis</c> is set, the edge secret on
    /// every forwarded request (<see cref="EdgeSecret"/>), and a body of known length sent in its headers' write
    /// (<see cref="EdgeForwarderHttpClientFactory"/>).
    /// </summary>
    public static WebApplicationBuilder AddEdgeProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("redis")))
        {
            builder.AddTracedRedisClient("redis", options =>
            {
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 3000;
                options.AsyncTimeout = 2000;
            });
        }

        builder.Services.AddSingleton(services => new SessionRouter(
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<RoutingOptions>>(),
            services.GetRequiredService<ILogger<SessionRouter>>(),
            services.GetService<IConnectionMultiplexer>()));
        builder.Services.AddHostedService<SessionRouteSweeper>();
        builder.Services.AddSingleton<IForwarderHttpClientFactory, EdgeForwarderHttpClientFactory>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(transforms =>
            {
                transforms.AddRequestTransform(EdgeSecret.AddToRequest(builder.Configuration));
                transforms.AddResponseTransform(SessionRouteLearning.LearnAsync);
            });
        return builder;
    }

    public static WebApplication MapEdgeProxy(this WebApplication app)
    {
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(McpRequestTagging.TagAsync);
            pipeline.Use(SessionRoutingMiddleware.RouteBySessionAsync);
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
            pipeline.Use(ConnectFailureRetry.ForwardAsync);
        });
        return app;
    }
}
