using System.Net.Http.Headers;
using System.Text;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>Raw MCP requests over HTTP with a bearer token, to see status codes and challenges as clients do.</summary>
public static class McpHttp
{
    public const string ToolsList = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";

    /// <summary>One JSON-RPC request with the bearer token, in an MCP session opened with the same token (initialize first).</summary>
    public static async Task<HttpResponseMessage> PostAsync(Uri server, string accessToken, string json)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        using var initialize = Request(accessToken, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        using var opened = await http.SendAsync(initialize);
        if (!opened.IsSuccessStatusCode)
        {
            return await http.SendAsync(Request(accessToken, json));
        }

        var session = opened.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = Request(accessToken, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", session);
        (await http.SendAsync(initialized)).Dispose();
        return await http.SendAsync(Request(accessToken, json, session));
    }

    public static HttpRequestMessage Request(string accessToken, string json, string? session = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        return request;
    }
}
