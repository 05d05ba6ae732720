using System.Diagnostics;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>A Redis outage is our fault: the tool call's span is an error span (issue 19).</summary>
public sealed class RedisOutageTraceTests : IAsyncLifetime
{
    private TelemetryStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await TelemetryStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AToolCallDuringARedisOutageIsAnErrorSpan()
    {
        var wallet = await _stack.Sandbox.CreateWalletAsync("outage", 1_000);
        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(_stack.EdgeUrl, "/mcp") }),
            new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(ToolCalls.Timeout);
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });

        await _stack.Redis.StopAsync();
        await client.CallUntilErrorAsync("get_wallet_balance", "service_unavailable", within: TimeSpan.FromSeconds(10));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        CapturedSpan? toolSpan = null;
        while (toolSpan is null && DateTime.UtcNow < deadline)
        {
            toolSpan = _stack.Capture.Spans().LastOrDefault(s => s.Source == "Experimental.ModelContextProtocol" && s.Kind == ActivityKind.Server
                && s.Name == "tools/call get_wallet_balance" && s.Tag("lnbits_mcp.error_code") == "service_unavailable");
            await Task.Delay(200);
        }

        Assert.NotNull(toolSpan);
        Assert.Equal(ActivityStatusCode.Error, toolSpan.StatusCode);
    }
}
