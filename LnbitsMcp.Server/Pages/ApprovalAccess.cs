using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Pages;

/// <summary>Who may decide an approval on its page.</summary>
public enum ApprovalDecider
{
    /// <summary>An anonymous session's approval: holding its URL is enough (weaker; see the README).</summary>
    UrlHolder,

    /// <summary>The browser that made the OAuth connection (its page cookie names the session's owner).</summary>
    Owner,

    /// <summary>Another browser, or none with the owner's cookie: it must prove the wallet (its admin key).</summary>
    Stranger,
}

/// <summary>
/// The page's access rule (CONTRACT §9): an owned session's approval (an OAuth connection, a bearer-token
/// caller) needs the owner's browser cookie, or the person proving the wallet again by entering its key; an
/// anonymous session's needs only the URL.
/// </summary>
public static class ApprovalAccess
{
    public static async Task<ApprovalDecider> WhoAsync(HttpContext context, PaymentApproval approval)
    {
        if (approval.Owner is null)
        {
            return ApprovalDecider.UrlHolder;
        }

        return await PageUser.FindAsync(context) is { } subject && OwnerKey.OfSubject(subject) == approval.Owner
            ? ApprovalDecider.Owner
            : ApprovalDecider.Stranger;
    }

    /// <summary>True when <paramref name="enteredKey"/> is the key of the wallet the approval's session pays from.</summary>
    public static async Task<bool> ProvesWalletAsync(PaymentApproval approval, string? enteredKey, ISessionStore sessions, LnbitsClientFactory clients, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(enteredKey) || approval.SessionKey is null
            || await sessions.FindAsync(approval.SessionKey, cancellationToken) is not { Lnbits: { } settings })
        {
            return false;
        }

        try
        {
            var walletKey = await clients.Create(settings).WalletKeyAsync(cancellationToken);
            return CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(walletKey.Key.Reveal())),
                SHA256.HashData(Encoding.UTF8.GetBytes(enteredKey.Trim())));
        }
        catch (ToolException)
        {
            return false;
        }
    }
}
