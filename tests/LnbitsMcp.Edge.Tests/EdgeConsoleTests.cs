using System.Net.Http.Headers;
using System.Text;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Edge.Tests;

/// <summary>The edge's console, even at Trace, shows no MCP session id (header or legacy <c>?sessionId=</c>).</summary>
public sealed class TheEdgeConsoleShowsNoSessionIdsEvenAtTrace : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 1, new Dictionary<string, string?>
    {
        ["Logging__LogLevel__Default"] = "Trace",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
        ["Logging__LogLevel__Yarp"] = "Trace",
    });

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task LegacyAndStreamableSessionIdsAreScrubbed()
    {
        await using var streamable = await _stack.ConnectAsync();
        await streamable.CallOkAsync("get_session_info");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var sse = await http.GetAsync(new Uri(_stack.HttpUrl, "/sse"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await sse.Content.ReadAsStreamAsync());
        string? endpoint = null;
        while (endpoint is null && await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
        {
            endpoint = line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("sessionId=", StringComparison.Ordinal) ? line["data: ".Length..] : null;
        }

        Assert.NotNull(endpoint);
        var legacySessionId = endpoint[(endpoint.IndexOf("sessionId=", StringComparison.Ordinal) + "sessionId=".Length)..];
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.HttpUrl, endpoint))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var accepted = await http.SendAsync(message);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the console logger writes from a queue

        var output = _stack.Edge.Output;
        Assert.True(accepted.IsSuccessStatusCode, accepted.StatusCode.ToString());
        Assert.Contains("sessionId=***", output, StringComparison.Ordinal); // the request line was logged, scrubbed
        Assert.DoesNotContain(legacySessionId, output, StringComparison.Ordinal);
        Assert.DoesNotContain(streamable.SessionId!, output, StringComparison.Ordinal);
    }
}
