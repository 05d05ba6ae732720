using System.Net;
using LnbitsMcp.Server.Cli;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Cli;

/// <summary>
/// <c>Server:EdgeHttp2Port</c>: a port of its own that speaks only HTTP/2 without TLS (prior knowledge), beside the
/// HTTP/1.1 address; MCP works over it as over the other.
/// </summary>
public sealed class EdgeHttp2EndpointTests
{
    [Fact]
    public async Task ThePortSpeaksOnlyHttp2AndTheOtherAddressKeepsHttp11()
    {
        var port = ServiceProcess.FreePort();
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { [EdgeHttp2Endpoint.PortKey] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var h2c = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = ServerHost.Timeout };
        using var http2 = PriorKnowledgeClient();

        using var overHttp2 = await http2.GetAsync(new Uri(h2c, "/health"));
        using var main = await http.GetAsync(new Uri(server.Url, "/health"));

        Assert.Equal(HttpStatusCode.OK, overHttp2.StatusCode);
        Assert.Equal(HttpVersion.Version20, overHttp2.Version);
        Assert.Equal(HttpStatusCode.OK, main.StatusCode);
        Assert.Equal(HttpVersion.Version11, main.Version);
        Assert.NotEqual(port, server.Url.Port);
        using var overHttp11 = await http.GetAsync(new Uri(h2c, "/health")); // Kestrel's answer to HTTP/1.x on an HTTP/2-only port
        Assert.Equal(HttpStatusCode.BadRequest, overHttp11.StatusCode);
    }

    [Fact]
    public async Task AnMcpSessionWorksOverThePort()
    {
        var port = ServiceProcess.FreePort();
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { [EdgeHttp2Endpoint.PortKey] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var http = PriorKnowledgeClient();
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/mcp") }, http);
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(ServerHost.Timeout);

        var first = await client.CallToolAsync("get_session_info").AsTask().WaitAsync(ServerHost.Timeout);
        var second = await client.CallToolAsync("get_session_info").AsTask().WaitAsync(ServerHost.Timeout);

        Assert.NotEqual(true, first.IsError);
        Assert.NotEqual(true, second.IsError);
        Assert.NotNull(client.SessionId);
    }

    [Theory]
    [InlineData("http2")]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task AValueThatIsNotAPortStopsTheStartWithTheSettingsName(string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerHost.StartAsync(new Dictionary<string, string?> { [EdgeHttp2Endpoint.PortKey] = value }));

        Assert.Contains(EdgeHttp2Endpoint.PortKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static HttpClient PriorKnowledgeClient() =>
        new(new PriorKnowledgeHandler { InnerHandler = new SocketsHttpHandler() }) { Timeout = ServerHost.Timeout };

    /// <summary>Every request as HTTP/2 from the first byte, as the edge sends them.</summary>
    private sealed class PriorKnowledgeHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
