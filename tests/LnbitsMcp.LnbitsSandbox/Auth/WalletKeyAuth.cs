using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Auth;

/// <summary>LNbits' wallet-key check (decorators.py): key from the <c>X-API-KEY</c> header, else the
/// <c>api-key</c> query parameter; missing 401, unknown 404, invoice key on an admin route 403.</summary>
internal sealed class WalletKeyAuth(SandboxLedger ledger)
{
    public const string HeaderName = "X-API-KEY";
    public const string QueryName = "api-key";

    public static string? ExtractKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (!string.IsNullOrEmpty(header))
        {
            return header;
        }

        var query = request.Query[QueryName].ToString();
        return string.IsNullOrEmpty(query) ? null : query;
    }

    public WalletAccess RequireInvoiceKey(HttpRequest request) => Require(request, KeyType.Invoice);

    public WalletAccess RequireAdminKey(HttpRequest request) => Require(request, KeyType.Admin);

    /// <summary>The wallet of a header key, or null (used where the key is optional, e.g. payment status).</summary>
    public WalletAccess? TryHeaderKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var found = ledger.Locked(l => l.FindByKey(header));
        return found is { } f ? new WalletAccess(f.Wallet, f.Type) : null;
    }

    private WalletAccess Require(HttpRequest request, KeyType required)
    {
        var key = ExtractKey(request) ?? throw ApiException.Unauthorized("No Api Key provided.");
        var found = ledger.Locked(l => l.FindByKey(key)) ?? throw ApiException.NotFound("Wallet not found.");
        if (required == KeyType.Admin && found.Type != KeyType.Admin)
        {
            throw ApiException.Forbidden("Invalid adminkey.");
        }

        return new WalletAccess(found.Wallet, found.Type);
    }
}
