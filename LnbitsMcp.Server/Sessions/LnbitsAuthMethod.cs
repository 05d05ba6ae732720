namespace LnbitsMcp.Server.Sessions;

/// <summary>How the server authenticates to LNbits (CONTRACT §5 <c>configure_lnbits.auth_method</c>).</summary>
public enum LnbitsAuthMethod
{
    /// <summary>Wallet key in the <c>X-Api-Key</c> header.</summary>
    ApiKeyHeader,

    /// <summary>Wallet key in the <c>?api-key=</c> query parameter.</summary>
    ApiKeyQuery,

    /// <summary>A user access token; the wallet key is read from <c>GET /api/v1/wallets</c>.</summary>
    Bearer,

    /// <summary>Username and password exchanged for an access token at <c>POST /api/v1/auth</c>.</summary>
    OAuth2,
}

public static class LnbitsAuthMethods
{
    public static string ToWire(this LnbitsAuthMethod method) => method switch
    {
        LnbitsAuthMethod.ApiKeyHeader => "api_key_header",
        LnbitsAuthMethod.ApiKeyQuery => "api_key_query",
        LnbitsAuthMethod.Bearer => "bearer",
        _ => "oauth2",
    };

    public static bool TryParse(string? text, out LnbitsAuthMethod method)
    {
        method = LnbitsAuthMethod.ApiKeyHeader;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "api_key_header" or "header":
                return true;
            case "api_key_query" or "query":
                method = LnbitsAuthMethod.ApiKeyQuery;
                return true;
            case "bearer":
                method = LnbitsAuthMethod.Bearer;
                return true;
            case "oauth2":
                method = LnbitsAuthMethod.OAuth2;
                return true;
            default:
                return false;
        }
    }
}
