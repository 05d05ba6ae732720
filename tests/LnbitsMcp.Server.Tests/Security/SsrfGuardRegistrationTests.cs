using LnbitsMcp.Server.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary><c>AddSsrfGuard</c> inside a host with the service defaults (resilience, service discovery).</summary>
public sealed class SsrfGuardRegistrationTests(LoopbackHttpServer server) : IClassFixture<LoopbackHttpServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BindsTheSecuritySectionAndReachesLoopbackWhenAllowed()
    {
        using var host = await StartHostAsync(new() { ["Security:AllowPrivateNetworks"] = "true" });
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("lnurl");

        var body = await client.GetStringAsync(server.Url("/ok")).WaitAsync(Timeout);

        Assert.Equal("hello", body);
        var options = host.Services.GetRequiredService<IOptions<SsrfGuardOptions>>().Value;
        Assert.True(options.AllowPrivateNetworks);
        Assert.Equal(1024 * 1024, options.MaxResponseBytes);
        Assert.Equal(3, options.MaxRedirects);
    }

    [Fact]
    public async Task SurfacesRefusalsThroughTheResiliencePipelineWithoutRetrying()
    {
        using var host = await StartHostAsync([]);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("lnurl");
        var connectionsBefore = server.Connections;

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(server.Url("/ok")).WaitAsync(Timeout));

        Assert.Equal("a loopback address", error.Reason);
        Assert.Equal(connectionsBefore, server.Connections);
    }

    [Fact]
    public async Task RefusesARedirectToMetadataThroughTheFactoryClient()
    {
        using var host = await StartHostAsync(new() { ["Security:AllowPrivateNetworks"] = "true" });
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("lnurl");

        var error = await Assert.ThrowsAsync<ForbiddenDestinationException>(
            () => client.GetAsync(server.Url("/redirect-metadata")).WaitAsync(Timeout));

        Assert.Equal("169.254.169.254", error.Host);
    }

    [Fact]
    public async Task ValidatesTheOptionsAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => StartHostAsync(new() { ["Security:MaxResponseBytes"] = "0" }));

        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
    }

    private static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("lnurl").AddSsrfGuard();
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(Timeout);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
