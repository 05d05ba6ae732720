using LnbitsMcp.Testing;

namespace LnbitsMcp.Edge.Tests;

/// <summary>The official TypeScript MCP SDK client through the edge, over /mcp and /sse, with two instances behind it.</summary>
public sealed class TypeScriptClientThroughEdgeTests : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 2);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("streamable", "/mcp")]
    [InlineData("sse", "/sse")]
    public async Task TheTypeScriptClientRunsTheWalletStoryThroughTheEdge(string mode, string path)
    {
        var wallet = await _stack.Sandbox.CreateWalletAsync("ts-edge-" + mode, 555);

        var seen = await TypeScriptClient.RunAsync(new Uri(_stack.HttpUrl, path), mode, _stack.Sandbox.Url, wallet.AdminKey);

        Assert.True(seen.GetProperty("info").GetProperty("bound_to_transport").GetBoolean());
        Assert.Equal(555, seen.GetProperty("balance").GetProperty("balance_sat").GetInt64());
        Assert.Equal("admin", seen.GetProperty("configured").GetProperty("key_type").GetString());
        Assert.Equal(21_000, seen.GetProperty("decoded").GetProperty("amount_msat").GetInt64());
        Assert.Equal("ok", seen.GetProperty("others").GetProperty("get_payments").GetString());
    }
}
