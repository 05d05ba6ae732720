using System.Net;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary>
/// The server's HTTP surface under hostile requests: Origin compared by scheme, host and port; JSON errors
/// instead of the developer exception page; a cap on live MCP sessions per client address; forwarded
/// headers believed only from the edge (or, standalone, from loopback proxies).
/// </summary>
public sealed class TheServersHttpSurfaceHoldsUnderHostileRequests
{
    private const string EdgeSecret = "test-edge-secret-0123456789abcdef";

    [Fact]
    public async Task AnOriginOnAnotherPortIsRefused()
    {
        await using var server = await ServerHost.StartAsync();
        using var http = new HttpClient();
        var port = server.Url.Port;

        using var otherPort = await http.SendAsync(Initialize(server, host: $"localhost:{port}", origin: "http://localhost:9999"));
        using var otherScheme = await http.SendAsync(Initialize(server, host: $"localhost:{port}", origin: $"https://localhost:{port}"));
        using var sameOrigin = await http.SendAsync(Initialize(server, host: $"localhost:{port}", origin: $"http://localhost:{port}"));

        Assert.Equal(HttpStatusCode.Forbidden, otherPort.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherScheme.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
    }

    [Fact]
    public async Task InDevelopmentAMissingContentTypeIs415AndAFailureIsAJsonErrorWithoutStackOrHeaders()
    {
        await using var server = await ServerHost.StartAsync(configure: builder => builder.Environment.EnvironmentName = Environments.Development);
        using var http = new HttpClient();
        const string Secret = "header-secret-never-echoed-42";

        using var noType = await http.SendAsync(Post(server, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", contentType: null, Secret));
        using var badCharset = await http.SendAsync(Post(server, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", contentType: "application/json; charset=no-such-charset", Secret));
        var noTypeBody = await noType.Content.ReadAsStringAsync();
        var badCharsetBody = await badCharset.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType.StatusCode);
        Assert.Equal(-32700, JsonDocument.Parse(noTypeBody).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(badCharset.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, badCharset.StatusCode.ToString());
        Assert.Equal("application/json", badCharset.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2.0", JsonDocument.Parse(badCharsetBody).RootElement.GetProperty("jsonrpc").GetString());
        foreach (var body in new[] { noTypeBody, badCharsetBody })
        {
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LiveMcpSessionsPerClientAddressAreCappedAndFreedWhenTheyEnd()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Sessions:MaxTransportSessionsPerClientAddress"] = "3" });
        var limiter = server.App.Services.GetRequiredService<TransportSessionLimiter>();
        var clients = new List<McpClient>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await server.ConnectAsync());
        }

        using var http = new HttpClient();
        using var overCap = await http.SendAsync(Initialize(server));
        var body = JsonDocument.Parse(await overCap.Content.ReadAsStringAsync()).RootElement;
        using var fromElsewhere = SourceAddress.HttpClient("127.0.0.2");
        using var otherAddress = await fromElsewhere.SendAsync(Initialize(server));
        await using var stateless = await server.ConnectAsync(protocolVersion: null); // session-less revision: not a session
        await stateless.ListToolsAsync().AsTask().WaitAsync(ServerHost.Timeout);

        Assert.Equal(HttpStatusCode.TooManyRequests, overCap.StatusCode);
        Assert.False(overCap.Headers.Contains("Mcp-Session-Id"));
        Assert.Contains("Too many open MCP sessions", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
        Assert.Equal(3, limiter.LiveSessions("127.0.0.1"));

        await clients[0].DisposeAsync(); // DELETE /mcp ends the session
        await WaitUntilAsync(() => limiter.LiveSessions("127.0.0.1") == 2);
        await using var again = await server.ConnectAsync();
        Assert.Equal(3, limiter.LiveSessions("127.0.0.1"));
        foreach (var client in clients.Skip(1))
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ForwardedHeadersAreBelievedOnlyWithTheEdgeSecret()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:EdgeSecret"] = EdgeSecret,
            ["Http:AllowedHosts:0"] = "mcp.public.example",
        });
        var limiter = server.App.Services.GetRequiredService<TransportSessionLimiter>();
        using var http = new HttpClient();

        using var fromEdge = await http.SendAsync(Forwarded(Initialize(server, origin: "https://mcp.public.example"), "203.0.113.7", EdgeSecret));
        using var forged = await http.SendAsync(Forwarded(Initialize(server, origin: "https://mcp.public.example"), "203.0.113.9", "wrong-secret-wrong-secret-wrong"));
        using var forgedFor = await http.SendAsync(Forwarded(Initialize(server), "203.0.113.10", secret: null));
        using var almost = await http.SendAsync(Forwarded(Initialize(server, origin: "https://mcp.public.example"), "203.0.113.11", EdgeSecret[..^1] + "X"));

        Assert.Equal(HttpStatusCode.OK, fromEdge.StatusCode);        // scheme and host are the public ones: same origin
        Assert.Equal(1, limiter.LiveSessions("203.0.113.7"));         // the caller's address, not the edge's
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);   // no secret: the origin is foreign to 127.0.0.1
        Assert.Equal(HttpStatusCode.OK, forgedFor.StatusCode);
        Assert.Equal(0, limiter.LiveSessions("203.0.113.10"));        // loopback alone is not trusted when an edge secret is set
        Assert.Equal(HttpStatusCode.Forbidden, almost.StatusCode);   // a secret of the right length, one character off
    }

    [Fact]
    public async Task AStandaloneServerBelievesLoopbackAndConfiguredProxiesOnly()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Http:AllowedHosts:0"] = "mcp.public.example" });
        var limiter = server.App.Services.GetRequiredService<TransportSessionLimiter>();
        using var http = new HttpClient();

        using var response = await http.SendAsync(Forwarded(Initialize(server), "198.51.100.4", secret: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, limiter.LiveSessions("198.51.100.4"));
    }

    private static HttpRequestMessage Forwarded(HttpRequestMessage request, string clientAddress, string? secret)
    {
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "mcp.public.example");
        if (secret is not null)
        {
            request.Headers.Add("X-LnbitsMcp-Edge-Secret", secret);
        }

        return request;
    }

    private static HttpRequestMessage Initialize(ServerHost server, string? host = null, string? origin = null)
    {
        var request = Post(server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", "application/json", null);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static HttpRequestMessage Post(ServerHost server, string json, string? contentType, string? apiKeyHeader)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, server.McpUrl) { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (apiKeyHeader is not null)
        {
            request.Headers.Add("X-LNbits-Api-Key", apiKeyHeader);
        }

        return request;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(100);
        }
    }
}
