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

    public static string PaidHashes(string ledgerKey) => $"{Prefix}paid:{SessionId.Key(ledgerKey)}";

    public static string Budget(string ledgerKey) => $"{Prefix}budget:{SessionId.Key(ledgerKey)}";

    public static string ConfirmationToken(string tokenKey) => $"{Prefix}confirm:{tokenKey}";
}
