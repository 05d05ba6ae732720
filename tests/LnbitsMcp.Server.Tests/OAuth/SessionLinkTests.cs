using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// <c>configure_lnbits</c> with a client that declares URL-mode elicitation: the person connects the wallet on
/// the server's page (in a real browser) and no key is a tool argument; clients without it keep the argument form.
/// </summary>
public sealed class SessionLinkTests : IAsyncLifetime
{
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;
    private Browser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync();
        _browser = await Browser.StartAsync();
    }

    [Fact]
    public async Task AUrlElicitingClientConfiguresItsSessionOnThePageWithoutPassingTheKey()
    {
        var wallet = await _sandbox.CreateWalletAsync("linked-wallet", 8_000);
        await using var profile = await _browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        Task? person = null;
        string? linkUrl = null;
        var handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                Assert.Equal("url", request!.Mode);
                linkUrl = request.Url;
                person = Task.Run(async () =>
                {
                    await page.GotoAsync(request.Url!);
                    await page.FillAsync("#lnbits_url", _sandbox.Url.AbsoluteUri);
                    await page.FillAsync("#api_key", wallet.AdminKey);
                    await page.ClickAsync("button[name=action][value=allow]");
                    await page.WaitForSelectorAsync("text=Wallet connected");
                });
                return ValueTask.FromResult(new ElicitResult { Action = "accept" });
            },
        };
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = _server.McpUrl });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ProtocolVersion = "2025-11-25",
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } },
            Handlers = handlers,
        });

        var configured = await client.CallOkAsync("configure_lnbits");
        await person!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("linked-wallet", configured.GetProperty("wallet_name").GetString());
        Assert.Equal("admin", configured.GetProperty("key_type").GetString());
        Assert.Equal(8_000, (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_sat").GetInt64());

        // The link was used once: opening it again configures nothing.
        await page.GotoAsync(linkUrl!);
        Assert.Contains("cannot be used", await page.InnerTextAsync("main"));
    }

    [Fact]
    public async Task AClientWithoutUrlElicitationKeepsTheArgumentForm()
    {
        var wallet = await _sandbox.CreateWalletAsync("argument-wallet", 900);
        await using var client = await _server.ConnectAsync();
        var configured = await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        Assert.Equal("argument-wallet", configured.GetProperty("wallet_name").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
