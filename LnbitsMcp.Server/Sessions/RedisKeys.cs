namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Every Redis key the server writes. Each is derived from a hash (session key, hashed transport
/// id, hashed owner), so a Redis dump yields no usable session id.
/// </summary>
public static class RedisKeys
{
    public const string Prefix = "lnbits-mcp:";
    public const string AllSessions = Prefix + "sessions";
    public const string DataProtectionKeys = Prefix + "data-protection-keys";

    public static string Session(string sessionKey) => $"{Prefix}session:{sessionKey}";

    public static string Transport(string transportSessionId) => $"{Prefix}transport:{SessionId.Key(transportSessionId)}";

    public static string McpSession(string transportSessionId) => $"{Prefix}mcp-session:{SessionId.Key(transportSessionId)}";

    public static string OwnerSessions(string ownerKey) => $"{Prefix}owner:{ownerKey}";

    public static string AddressSessions(string clientAddress) => $"{Prefix}address:{SessionId.Key(clientAddress)}";

    /// <summary>A wallet's payment ledger: its keys share one hash tag, so one script can touch them together.</summary>
    public static string WalletLedger(string walletKey) => $"{Prefix}{{ledger:{SessionId.Key(walletKey)}}}";

    public static string PaidHashes(string walletKey) => WalletLedger(walletKey) + ":paid";

    public static string Budget(string walletKey) => WalletLedger(walletKey) + ":budget";

    /// <summary>One caller's (session's, header credential's) sub-ledger inside its wallet's ledger.</summary>
    public static string CallerBudget(string walletKey, string ledgerKey) =>
        walletKey == ledgerKey ? Budget(walletKey) : $"{WalletLedger(walletKey)}:session:{SessionId.Key(ledgerKey)}";

    public static string ConfirmationToken(string tokenKey) => $"{Prefix}confirm:{tokenKey}";
}
