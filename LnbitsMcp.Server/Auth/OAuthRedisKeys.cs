using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// The authorization server's Redis keys. Every id is hashed (a dump yields no usable code, ticket or
/// client secret). A connection's record and its owner's index share one hash tag, so the scripts that
/// touch both stay in one Redis Cluster slot; every key a script touches is passed as a key.
/// </summary>
public static class OAuthRedisKeys
{
    private const string Prefix = RedisKeys.Prefix + "oauth:";

    public static string Client(string clientId) => $"{Prefix}client:{{{SessionId.Key("client:" + clientId)}}}";

    public static string OneUse(OneUseKind kind, string id) => $"{Prefix}{kind switch
    {
        OneUseKind.ConsentTicket => "consent",
        _ => "session-link",
    }}:{{{SessionId.Key(kind + ":" + id)}}}";

    public static string RedeemedCode(string codeId) => $"{Prefix}code:{{{SessionId.Key("code:" + codeId)}}}";

    public static string Connection(string ownerKey, string connectionKey) => $"{Prefix}{{user:{ownerKey}}}:connection:{connectionKey}";

    public static string OwnerConnections(string ownerKey) => $"{Prefix}{{user:{ownerKey}}}:connections";
}
