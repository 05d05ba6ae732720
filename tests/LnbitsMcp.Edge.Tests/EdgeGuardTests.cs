using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Edge.Tests;

/// <summary>TLS, rate limits, Host/Origin validation and the body limit of the edge.</summary>
public sealed class EdgeGuardTests : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 1, new Dictionary<string, string?>
    {
        ["RateLimiting__Session__TokenLimit"] = "8",
        ["RateLimiting__Session__TokensPerPeriod"] = "1",
        ["RateLimiting__Session__ReplenishmentPeriod"] = "00:00:05",
        ["RateLimiting__NewSession__TokenLimit"] = "30",
        ["RateLimiting__ClientAddress__TokenLimit"] = "200",
        ["Http__AllowedOrigins__0"] = "https://inspector.example",
    });

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task TheEdgeServesTlsWithTheConfiguredCertificateOverHttp2()
    {
        string? thumbprint = null;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    thumbprint = certificate?.GetCertHashString();
                    return true;
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.HttpsUrl, "/health")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(_stack.Certificate.Thumbprint, thumbprint);
    }

    [Fact]
    public async Task ABurstOverTheSessionLimitGets429WithRetryAfterAndTrafficUnderItNone()
    {
        await using var calm = await _stack.ConnectAsync();
        for (var i = 0; i < 4; i++)
        {
            await calm.CallOkAsync("get_session_info");
        }

        await using var greedy = await _stack.ConnectAsync();
        var sessionId = greedy.SessionId!;
        using var http = new HttpClient();
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add(await http.SendAsync(ToolsList(sessionId)));
        }

        var rejected = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var body = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(statuses, r => r.IsSuccessStatusCode);
        Assert.True(int.Parse(rejected.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("2.0", body.GetProperty("jsonrpc").GetString());
        Assert.Contains("Rate limit", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await calm.CallOkAsync("get_session_info");
        using var health = await http.GetAsync(new Uri(_stack.HttpUrl, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        statuses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task AForgedHostOrAForeignOriginIsRefusedAndAnAllowedOriginIsNot()
    {
        using var http = new HttpClient();

        using var forgedHost = await http.SendAsync(Initialize(host: "evil.example"));
        using var foreignOrigin = await http.SendAsync(Initialize(origin: "https://evil.example"));
        using var allowedOrigin = await http.SendAsync(Initialize(origin: "https://inspector.example"));
        using var sameOrigin = await http.SendAsync(Initialize(origin: _stack.HttpUrl.GetLeftPart(UriPartial.Authority)));

        Assert.Equal(HttpStatusCode.Forbidden, forgedHost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignOrigin.StatusCode);
        Assert.Contains("\"jsonrpc\":\"2.0\"", await foreignOrigin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowedOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIs413()
    {
        using var http = new HttpClient();
        var huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', 1_100_000) + "\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.HttpUrl, "/mcp")) { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private HttpRequestMessage Initialize(string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.HttpUrl, "/mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
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

    private HttpRequestMessage ToolsList(string sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.HttpUrl, "/mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        return request;
    }
}
