using System.Diagnostics;
using LnbitsMcp.Testing;

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
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("outage", 1_000);

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
