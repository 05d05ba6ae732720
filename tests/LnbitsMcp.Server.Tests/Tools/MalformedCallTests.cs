using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>
/// Broken calls get answers that say what is wrong: text with lone surrogates is <c>invalid_argument</c>,
/// params that are not <c>{"name", "arguments"}</c> a JSON-RPC invalid-params error (-32602), never -32603.
/// </summary>
public sealed class MalformedCallsGetAnswersThatSayWhatIsWrong : IAsyncLifetime
{
    private ServerHost _server = null!;
    private HttpClient _http = null!;
    private string _sessionId = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ServerHost.StartAsync();
        _http = new HttpClient { Timeout = ServerHost.Timeout };
        using var initialize = await _http.SendAsync(Post("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", sessionId: null));
        _sessionId = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await _http.SendAsync(Post("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", _sessionId));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("decode_invoice", "bolt11", "\\ud800abc")]
    [InlineData("get_session_info", "session_id", "xyz\\udc00")]
    [InlineData("pay_invoice", "bolt11", "lnbc\\udbff")]
    public async Task TextWithALoneSurrogateIsInvalidArgumentNamingTheArgument(string tool, string argument, string escapedValue)
    {
        var answer = await CallAsync("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{\"" + argument + "\":\"" + escapedValue + "\"}}}");

        var result = answer.GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        var error = result.GetProperty("structuredContent").GetProperty("error");
        Assert.Equal("invalid_argument", error.GetProperty("code").GetString());
        Assert.Contains($"'{argument}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextThatIsNotUtf8IsInvalidArgumentNamingTheArgument()
    {
        byte[] body = [.. "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"name\":\"decode_invoice\",\"arguments\":{\"bolt11\":\"lnbc"u8,
            0xFF, 0xFE, .. "\"}}}"u8];

        var answer = await CallAsync(new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        var error = answer.GetProperty("result").GetProperty("structuredContent").GetProperty("error");
        Assert.Equal("invalid_argument", error.GetProperty("code").GetString());
        Assert.Contains("'bolt11'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"oops\"")]
    [InlineData("42")]
    [InlineData("{\"name\":5,\"arguments\":{}}")]
    [InlineData("{\"arguments\":{}}")]
    [InlineData("{\"name\":\"decode_invoice\",\"arguments\":\"bolt11\"}")]
    [InlineData("{\"name\":\"decode_invoice\",\"arguments\":[1,2]}")]
    public async Task MalformedParamsAreAJsonRpcInvalidParamsError(string parameters)
    {
        var answer = await CallAsync($$"""{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{{parameters}}}""");

        Assert.Equal(8, answer.GetProperty("id").GetInt32());
        Assert.Equal(-32602, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.StartsWith("Invalid params", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParamsAfterALargeValueAreCheckedToo()
    {
        var padding = new string('x', 200_000); // more than one read of the request body
        var answer = await CallAsync($$"""{"jsonrpc":"2.0","id":9,"method":"tools/call","_pad":"{{padding}}","params":42}""");

        Assert.Equal(9, answer.GetProperty("id").GetInt32());
        Assert.Equal(-32602, answer.GetProperty("error").GetProperty("code").GetInt32());
    }

    private Task<JsonElement> CallAsync(string body) => CallAsync(new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> CallAsync(HttpContent body)
    {
        using var response = await _http.SendAsync(Post(body, _sessionId));
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? text.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).Last()
            : text;
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private HttpRequestMessage Post(string json, string? sessionId) => Post(new StringContent(json, Encoding.UTF8, "application/json"), sessionId);

    private HttpRequestMessage Post(HttpContent content, string? sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _server.McpUrl) { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        return request;
    }
}
