using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// What a wallet form submission leads to: checked settings and limits, or the message (LNbits' own, or the
/// argument rule <c>configure_lnbits</c> applies) to show on the form again; with a token method and several
/// wallets, the list to choose from.
/// </summary>
public sealed record WalletCheck(LnbitsSettings? Settings, SessionLimits Limits, string? Message, IReadOnlyList<(string Id, string Name)>? Wallets)
{
    public static async Task<WalletCheck> RunAsync(ConnectForm input, LnbitsConnector connector, OperatorLnbits operatorLnbits, CancellationToken cancellationToken)
    {
        try
        {
            var settings = input.Settings(operatorLnbits);
            var limits = input.Limits();
            if (settings.AuthMethod is LnbitsAuthMethod.Bearer or LnbitsAuthMethod.OAuth2 && settings.WalletId is null)
            {
                var wallets = await connector.ListWalletsAsync(settings, cancellationToken);
                if (wallets.Count > 1)
                {
                    return new WalletCheck(null, limits, "This LNbits user has several wallets: choose the one to connect.", wallets);
                }
            }

            return new WalletCheck(await connector.CheckAsync(settings, cancellationToken), limits, null, null);
        }
        catch (ToolException error)
        {
            return new WalletCheck(null, SessionLimits.None, $"{error.Code}: {error.Message}", null);
        }
    }
}
