using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Every Redis key the server writes, built so that the same code runs on one Redis node and on a
/// Redis Cluster (where a key's hash slot, and so its node, is chosen by its hash tag alone).
/// The rules, for every new key (OAuth state, approvals, …):
/// <list type="number">
/// <item>A key is <c>lnbits-mcp:{kind:id}</c> or <c>lnbits-mcp:{kind:id}:part</c>, built with
/// <see cref="Key"/>. The braces are the hash tag: keys with the same <c>{kind:id}</c> live in one slot.</item>
/// <item>Keys that one Lua script, transaction or multi-key command touches together share one
/// <c>{kind:id}</c> (one entity: a session, a ledger, a transport session). Keys of different entities
/// are never touched together: do that in separate steps, each atomic on its own.</item>
/// <item>A script receives every key it touches as a <see cref="RedisKey"/> (KEYS): it never builds a
/// key name, and never takes one from a stored value.</item>
/// <item>The <c>id</c> is a hash (<see cref="Hashed"/>, <see cref="SessionId.Key"/>) when it comes from
/// a secret or personal value: a Redis dump yields no session id, token or address.</item>
/// <item>No key is written by every user's calls (a hot key on one node): a global figure is
/// sharded, as <see cref="LiveSessions"/> is.</item>
/// </list>
/// Single-key names from before these rules (<see cref="DataProtectionKeys"/> and the lock beside it, the edge's
/// routes) are only ever used by single-key commands and keep their names.
/// </summary>
public static class RedisKeys
{
    public const string Prefix = "lnbits-mcp:";

    /// <summary>The Data Protection key ring (one list, read and appended by single-key commands).</summary>
    public const string DataProtectionKeys = Prefix + "data-protection-keys";

    /// <summary>Held by an instance while it loads the key ring at startup (<see cref="DataProtectionKeyAgreement"/>; single-key commands).</summary>
    public const string DataProtectionKeysLock = DataProtectionKeys + ":lock";

    /// <summary>Shards of the live-sessions index: a session is counted in the shard of its key's first hex digit.</summary>
    public const int LiveSessionShards = 16;

    /// <summary><c>lnbits-mcp:{kind:id}</c> or <c>lnbits-mcp:{kind:id}:part</c>: keys with equal kind and id share a hash slot.</summary>
    public static string Key(string kind, string id, string? part = null) =>
        part is null ? $"{Prefix}{{{kind}:{id}}}" : $"{Prefix}{{{kind}:{id}}}:{part}";

    /// <summary>The id to use for a secret or personal value: lowercase hex SHA-256.</summary>
    public static string Hashed(string value) => SessionId.Key(value);

    /// <summary>A session's hash (document, last access, the names of the index entries it keeps alive).</summary>
    public static string Session(string sessionKey) => Key("s", sessionKey);

    /// <summary>The pub/sub channel on which an instance that changed a session names it (the others drop their copies).</summary>
    public const string SessionChangesChannel = Prefix + "session-changes";

    /// <summary>Which session an MCP transport session (<c>Mcp-Session-Id</c> / SSE <c>sessionId</c>) is bound to.</summary>
    public static string Transport(string transportSessionId) => TransportOfId(Hashed(transportSessionId));

    /// <summary><see cref="Transport"/> by the transport's id (its hash, as a session's hash keeps it).</summary>
    public static string TransportOfId(string transportId) => Key("t", transportId, "session");

    /// <summary>An MCP transport session's initialize parameters, for continuing it on another instance.</summary>
    public static string McpSession(string transportSessionId) => McpSessionOfId(Hashed(transportSessionId));

    /// <summary><see cref="McpSession"/> by the transport's id (its hash, as a session's hash keeps it).</summary>
    public static string McpSessionOfId(string transportId) => Key("t", transportId, "initialize");

    /// <summary>The live sessions of an authenticated owner (sorted set, scores = expiry), for the per-owner cap.</summary>
    public static string OwnerSessions(string ownerKey) => Key("owner", ownerKey, "sessions");

    /// <summary>The live sessions created from a client address (sorted set, scores = expiry), for the per-address cap.</summary>
    public static string AddressSessions(string clientAddress) => AddressSessionsOfId(Hashed(clientAddress));

    /// <summary><see cref="AddressSessions"/> by the address's id (its hash, as a session's hash keeps it).</summary>
    public static string AddressSessionsOfId(string addressId) => Key("address", addressId, "sessions");

    /// <summary>One shard of the live-sessions index (sorted set, scores = expiry) behind the active-sessions metric.</summary>
    public static string LiveSessions(int shard) => Key("live", shard.ToString("x", System.Globalization.CultureInfo.InvariantCulture), "sessions");

    /// <summary>The live-sessions shard a session is counted in.</summary>
    public static string LiveSessionsOf(string sessionKey) => LiveSessions(Convert.ToInt32(sessionKey[..1], 16) % LiveSessionShards);

    /// <summary>
    /// A payment ledger's key: every part of one ledger (paid hashes, budget, and any sub-ledger, e.g.
    /// per session under a per-wallet ledger) shares the ledger's hash tag, so one script can check and
    /// reserve across all of them. <paramref name="ledgerKey"/> is any text naming the ledger.
    /// </summary>
    public static string Ledger(string ledgerKey, string part) => Key("ledger", Hashed(ledgerKey), part);

    /// <summary>The payment hashes a ledger paid or is paying (set).</summary>
    public static string PaidHashes(string ledgerKey) => Ledger(ledgerKey, "paid");

    /// <summary>A ledger's reservations of the last 24 hours (sorted set, scores = time, members = id:msat).</summary>
    public static string Budget(string ledgerKey) => Ledger(ledgerKey, "budget");

    /// <summary>One caller's (session's, header credential's) sub-ledger inside its wallet's ledger.</summary>
    public static string CallerBudget(string walletKey, string ledgerKey) =>
        walletKey == ledgerKey ? Budget(walletKey) : Ledger(walletKey, "session:" + Hashed(ledgerKey));

    /// <summary>A resumable SSE event stream (hash: its events, completion, mode), by a hash of its identity (MCP session, stream, start).</summary>
    public static string EventStream(string streamIdentity) => Key("stream", Hashed(streamIdentity));

    /// <summary>A one-time confirmation token's grant, by the token's hash.</summary>
    public static string ConfirmationToken(string tokenKey) => Key("confirm", tokenKey);

    /// <summary>A payment approval (hash: description, status, expiry, binding), by the hash of its id.</summary>
    public static string PaymentApproval(string approvalKey) => Key("approval", approvalKey);

    /// <summary>The mark of a used multi-round-trip request state (one use), by the hash of its nonce.</summary>
    public static string PaymentApprovalState(string nonceKey) => Key("approval-state", nonceKey);
}
