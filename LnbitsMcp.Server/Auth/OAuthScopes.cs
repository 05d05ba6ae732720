namespace LnbitsMcp.Server.Auth;

/// <summary>The scopes a connection grants and the private claims its tokens carry.</summary>
public static class OAuthScopes
{
    public const string WalletRead = "wallet:read";
    public const string WalletPay = "wallet:pay";

    /// <summary>Both scopes, space-separated, as the 401 challenge asks for them.</summary>
    public const string All = WalletRead + " " + WalletPay;

    public static readonly string[] Supported = [WalletRead, WalletPay];

    /// <summary>The connection (its session key, a hash: never a usable session id).</summary>
    public const string ConnectionClaim = "lnbits_mcp_connection";

    /// <summary>One-use marker of an authorization code (no destination: only inside the code).</summary>
    public const string CodeIdClaim = "lnbits_mcp_code";

    /// <summary>The current refresh token's id (no destination: only inside the refresh token).</summary>
    public const string RefreshIdClaim = "lnbits_mcp_refresh";

    /// <summary>The client's display name, for the connections page.</summary>
    public const string ClientNameClaim = "lnbits_mcp_client_name";
}
