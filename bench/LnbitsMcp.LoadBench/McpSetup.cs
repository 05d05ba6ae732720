using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace LnbitsMcp.LoadBench;

/// <summary>MCP sessions for the load (the C# SDK client, kept open while the load runs) and checks that a target answers right.</summary>
public static class McpSetup
{
    public const string ProtocolVersion = "2025-11-25";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client that initialized a stateful MCP session (its Mcp-Session-Id is <see cref="McpClient.SessionId"/>).</summary>
    public static async Task<McpClient> ConnectAsync(Uri endpoint, string? protocolVersion = ProtocolVersion, HttpClient? http = null)
    {
        var options = new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp };
        var transport = http is null ? new HttpClientTransport(options) : new HttpClientTransport(options, http);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public static async Task<string> ToolTextAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        var result = await client.CallToolAsync(tool, arguments).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        var text = string.Join("\n", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(b => b.Text));
        return result.IsError == true ? throw new BenchException($"{tool} failed: {text}") : text;
    }

    /// <summary>Calls the tool once and writes its whole result (content, structured content) to <paramref name="path"/>; returns the path.</summary>
    public static async Task<string> SaveToolResultAsync(McpClient client, string tool, Dictionary<string, object?> arguments, string path)
    {
        var result = await client.CallToolAsync(tool, arguments).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        if (result.IsError == true || result.StructuredContent is null)
        {
            throw new BenchException($"{tool} gave no result to serve from the references: {JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions)}");
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions));
        return path;
    }

    /// <summary>A sandbox wallet with sats, and an invoice of an outside node to decode.</summary>
    public static async Task<(string AdminKey, string Bolt11)> PrepareSandboxAsync(Uri sandbox)
    {
        using var wallet = await s_http.PostAsJsonAsync(new Uri(sandbox, "/sandbox/wallets"), new { name = "bench", balance_sat = 1_000_000 });
        wallet.EnsureSuccessStatusCode();
        var adminKey = (await wallet.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adminkey").GetString()!;
        var invoice = await s_http.GetFromJsonAsync<JsonElement>(new Uri(sandbox, "/sandbox/external-invoice?amount_sat=21&expiry=86400"));
        return (adminKey, invoice.GetProperty("bolt11").GetString()!);
    }

    /// <summary>Sends the target's request once, exactly as wrk will, and checks the answer (status, no error result, expected text).</summary>
    public static async Task VerifyAsync(LoadTarget target)
    {
        using var request = new HttpRequestMessage(target.Body is null ? HttpMethod.Get : HttpMethod.Post, target.Url);
        if (target.Body is not null)
        {
            request.Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1," + target.Body, Encoding.UTF8, "application/json");
            request.Headers.Add("Accept", "application/json, text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        }

        if (target.SessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", target.SessionId);
        }

        if (target.ApiKey is not null)
        {
            request.Headers.Add("X-Api-Key", target.ApiKey);
        }

        using var response = await s_http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Contains("\"isError\":true", StringComparison.Ordinal)
            || (target.ExpectedText is { } expected && !text.Contains(expected, StringComparison.Ordinal)))
        {
            throw new BenchException($"{target.Label} answers wrongly ({(int)response.StatusCode}): {text[..Math.Min(text.Length, 600)]}");
        }
    }
}
