using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// Checks LNbits credentials before they are kept — the one check behind <c>configure_lnbits</c> and the
/// connect page: reads the wallet with them and learns the key type (admin pays, invoice reads) and the
/// wallet's name. Throws the contract's LNbits errors (<c>lnbits_unauthorized</c>, …) when LNbits refuses.
/// </summary>
public sealed class LnbitsConnector(LnbitsClientFactory clients)
{
    public async Task<LnbitsSettings> CheckAsync(LnbitsSettings settings, CancellationToken cancellationToken)
    {
        var (wallet, keyType) = await clients.Create(settings).ProbeAsync(cancellationToken);
        return settings with { KeyType = keyType, WalletName = wallet.Name };
    }

    /// <summary>The user's wallets (id, name), for the token methods (bearer, oauth2).</summary>
    public Task<IReadOnlyList<(string Id, string Name)>> ListWalletsAsync(LnbitsSettings settings, CancellationToken cancellationToken) =>
        clients.Create(settings).ListWalletsAsync(cancellationToken);
}
