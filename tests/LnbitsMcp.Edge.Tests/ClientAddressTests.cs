using System.Net;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Edge.Tests;

/// <summary>
/// Behind the edge each caller is its own client address for the servers' limits: the edge forwards the
/// address with the shared edge secret, and the servers believe forwarded headers only with that secret.
/// </summary>
public sealed class EachCallerBehindTheEdgeIsLimitedByItsOwnAddress : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 1, serverSettings: new Dictionary<string, string?>
    {
        ["Sessions__MaxPerClientAddress"] = "5",
    });

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AFloodFromOneAddressNeverBlocksAnother()
    {
        using var floodHttp = SourceAddress.HttpClient("127.0.0.2");
        using var otherHttp = SourceAddress.HttpClient("127.0.0.3");
        await using var flood = await _stack.ConnectAsync(http: floodHttp);
        await using var other = await _stack.ConnectAsync(http: otherHttp);

        for (var i = 0; i < 5; i++)
        {
            await flood.CallOkAsync("create_session");
        }

        await flood.CallErrorAsync("create_session", "limit_exceeded");
        await other.CallOkAsync("create_session");
        await other.CallOkAsync("get_session_info"); // its connection's own session
    }

    [Fact]
    public async Task AForgedForwardedForSentStraightToAServerIsNotBelieved()
    {
        using var floodHttp = SourceAddress.HttpClient("127.0.0.4");
        await using var flood = await _stack.ConnectAsync(http: floodHttp);
        for (var i = 0; i < 5; i++)
        {
            await flood.CallOkAsync("create_session");
        }

        await flood.CallErrorAsync("create_session", "limit_exceeded");

        // Another local process claims to be that caller (and to be the edge, with a wrong secret): its own address counts.
        using var forger = SourceAddress.HttpClient("127.0.0.5");
        forger.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.0.4");
        forger.DefaultRequestHeaders.Add("X-LnbitsMcp-Edge-Secret", "not-the-secret-at-all");
        await using var direct = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(_stack.Servers[0].Url, "/mcp") }, forger),
            new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(ToolCalls.Timeout);
        await direct.CallOkAsync("create_session");
    }

    [Fact]
    public async Task APostWithoutContentTypeIsAJsonRpc415ThroughTheEdgeWithNothingEchoed()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.HttpUrl, "/mcp"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("X-LNbits-Api-Key", "key-that-must-not-echo-0123456789");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2.0", JsonDocument.Parse(body).RootElement.GetProperty("jsonrpc").GetString());
        Assert.DoesNotContain("key-that-must-not-echo", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}
