using LnbitsMcp.Edge.Extensions;
using LnbitsMcp.Edge.Telemetry;
using LnbitsMcp.Edge.RateLimiting;
using LnbitsMcp.Edge.Routing;
using LnbitsMcp.Edge.Security;
using LnbitsMcp.Edge.Tls;

namespace LnbitsMcp.Edge;

/// <summary>The edge's composition, shared by <c>Program.cs</c> and the tests that host it on a real port.</summary>
public static class EdgeApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddProxyDefaults();
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddEdgeTelemetry();
        builder.AddRequestGuards();
        builder.AddTrustedProxies();
        builder.AddEdgeTls();
        builder.AddEdgeRateLimiting();
        builder.AddEdgeProxy();

        var app = builder.Build();
        app.WithoutAuthorizationMiddleware(); // no route carries an authorization policy
        app.UseJsonErrors();
        app.UseTrustedProxies();
        app.UseEdgeTls();
        app.UseRequestGuards();
        app.UseRateLimiter();
        app.MapDefaultEndpoints();
        app.MapEdgeProxy();
        return app;
    }
}
