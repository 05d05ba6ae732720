using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The wallet a payment spends from, for the operator's limits and the paid hashes: the LNbits URL and the
/// wallet's key (the same for a session, header credentials or a token method that reads it), hashed.
/// </summary>
public sealed class WalletLedgerKeys(LnbitsClientFactory clients)
{
    public async Task<string> ForAsync(LnbitsSettings settings, CancellationToken cancellationToken)
    {
        var walletKey = await clients.Create(settings).WalletKeyAsync(cancellationToken);
        var material = settings.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "\n" + walletKey.Key.Reveal();
        return "wallet:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
