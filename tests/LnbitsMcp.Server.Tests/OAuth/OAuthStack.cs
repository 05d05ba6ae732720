using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>One server (built-in authorization server, no Redis), the LNbits sandbox, Debian's Chromium and a client-document site.</summary>
public sealed class OAuthStack : IAsyncLifetime
{
    public Sandbox Sandbox { get; private set; } = null!;
    public ServerHost Server { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;
    public ClientDocumentHost Documents { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sandbox = await Sandbox.StartAsync();
        Documents = await ClientDocumentHost.StartAsync();
        Server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "required",
            ["Auth:ClientMetadataTimeout"] = "00:00:02",
            ["Payments:ConfirmAboveSats"] = "100000",
        });
        Browser = await Browser.StartAsync();
    }

    public OAuthFlow Flow() => new(Server.Url);

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
        await Documents.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
