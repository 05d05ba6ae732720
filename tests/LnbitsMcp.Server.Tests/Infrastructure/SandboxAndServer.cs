using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Infrastructure;

/// <summary>One LNbits sandbox and one server (in process, real ports) shared by a test class as a class fixture.</summary>
public sealed class SandboxAndServer : IAsyncLifetime
{
    public Sandbox Sandbox { get; private set; } = null!;

    public ServerHost Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sandbox = await Sandbox.StartAsync();
        Server = await ServerHost.StartAsync();
    }

    /// <summary>A new MCP client whose session is configured with <paramref name="key"/> for the sandbox.</summary>
    public async Task<McpClient> ConnectAsync(string key)
    {
        var client = await Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = key });
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
