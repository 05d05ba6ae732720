using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary>
/// The server runs without ASP.NET Core's authorization middleware (<c>AuthorizationMiddlewareOptOut</c>): callers are
/// checked by the resource-server gate and the pages themselves. An endpoint with authorization metadata would then be
/// refused at its first request, so none may carry any, in any auth mode.
/// </summary>
public sealed class EndpointAuthorizationMetadataTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("optional")]
    [InlineData("required")]
    public async Task NoEndpointOfTheServerCarriesAuthorizationMetadata(string mode)
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Auth:Mode"] = mode });

        var endpoints = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        Assert.Contains(endpoints, endpoint => endpoint is RouteEndpoint { RoutePattern.RawText: "/mcp/" });
        Assert.Equal(mode != "none", endpoints.Any(endpoint => endpoint is RouteEndpoint { RoutePattern.RawText: "/oauth/authorize" }));
        Assert.Empty(endpoints.Where(EndpointAuthorization.CarriesMetadata).Select(endpoint => endpoint.DisplayName));
    }
}
