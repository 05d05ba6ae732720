using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// The authorization server's Redis keys, built by the rules of <see cref="RedisKeys"/>: every id hashed (a
/// dump yields no usable code, ticket or client id), one hash tag per entity. A connection's record and its
/// owner's index share the owner's tag, so the scripts that touch both stay in one Redis Cluster slot; every
/// key a script touches is passed to it as a key.
/// </summary>
public static class OAuthRedisKeys
{
    /// <summary>A dynamically registered client (JSON, its secret only as a hash).</summary>
    public static string Client(string clientId) => RedisKeys.Key("oauth-client", RedisKeys.Hashed("client:" + clientId));

    /// <summary>A consent ticket or a session link (one use).</summary>
    public static string OneUse(OneUseKind kind, string id) => kind switch
    {
        OneUseKind.ConsentTicket => RedisKeys.Key("oauth-consent", RedisKeys.Hashed("consent:" + id)),
        _ => RedisKeys.Key("session-link", RedisKeys.Hashed("link:" + id)),
    };

    /// <summary>The mark of a redeemed authorization code.</summary>
    public static string RedeemedCode(string codeId) => RedisKeys.Key("oauth-code", RedisKeys.Hashed("code:" + codeId));

    /// <summary>A connection's record (hash: client, scopes, current refresh token id, times).</summary>
    public static string Connection(string ownerKey, string connectionKey) => RedisKeys.Key("oauth-user", ownerKey, "connection:" + connectionKey);

    /// <summary>The owner's connections (set of connection keys).</summary>
    public static string OwnerConnections(string ownerKey) => RedisKeys.Key("oauth-user", ownerKey, "connections");
}
