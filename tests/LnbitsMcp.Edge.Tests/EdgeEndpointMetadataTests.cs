using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Edge.Tests;

/// <summary>
/// The edge runs without ASP.NET Core's authorization middleware (<c>AuthorizationMiddlewareOptOut</c>), which YARP's
/// services would otherwise put in front of every request. A route with an authorization policy would then be refused
/// at its first request, so no endpoint may carry one: neither the proxy's routes nor the edge's own.
/// </summary>
public sealed class EdgeEndpointMetadataTests
{
    [Fact]
    public async Task NoEndpointOfTheEdgeCarriesAuthorizationMetadata()
    {
        await using var edge = EdgeApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReverseProxy:Clusters:servers:Destinations:server0:Address"] = "http://127.0.0.1:9/",
            });
        });
        await edge.StartAsync(TestContext.Current.CancellationToken);

        var endpoints = edge.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        Assert.Contains(endpoints, endpoint => endpoint is RouteEndpoint { RoutePattern.RawText: "/health" });
        Assert.Contains(endpoints, endpoint => endpoint.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>() is not null);
        Assert.Empty(endpoints.Where(EndpointAuthorization.CarriesMetadata).Select(endpoint => endpoint.DisplayName));
    }
}
