using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// Access tokens (oauth2) and wallet keys read with a user token (bearer, oauth2), cached briefly in
/// process so that a tool call costs one LNbits request. Entries are keyed by a hash over the
/// credentials, so two configurations never share an entry; a 401 evicts them.
/// </summary>
public sealed class LnbitsCredentialCache(TimeProvider time)
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Secret? FindAccessToken(LnbitsSettings settings) => Find(CacheKey("token", settings))?.Token;

    public void StoreAccessToken(LnbitsSettings settings, Secret token) =>
        _entries[CacheKey("token", settings)] = new Entry(token, null, time.GetUtcNow() + s_lifetime);

    public LnbitsWalletKey? FindWalletKey(LnbitsSettings settings) => Find(CacheKey("wallet", settings))?.WalletKey;

    public void StoreWalletKey(LnbitsSettings settings, LnbitsWalletKey key) =>
        _entries[CacheKey("wallet", settings)] = new Entry(null, key, time.GetUtcNow() + s_lifetime);

    public void Evict(LnbitsSettings settings)
    {
        _entries.TryRemove(CacheKey("token", settings), out _);
        _entries.TryRemove(CacheKey("wallet", settings), out _);
    }

    private Entry? Find(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt > time.GetUtcNow())
        {
            return entry;
        }

        _entries.TryRemove(KeyValuePair.Create(key, entry));
        return null;
    }

    private static string CacheKey(string kind, LnbitsSettings settings)
    {
        // A token belongs to the user; a wallet key also to the chosen wallet.
        var material = string.Join('\n', kind, settings.BaseUrl.AbsoluteUri, settings.AuthMethod.ToWire(),
            settings.BearerToken?.Reveal() ?? string.Empty, settings.Username ?? string.Empty,
            settings.Password?.Reveal() ?? string.Empty, kind == "wallet" ? settings.WalletId ?? string.Empty : string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    private sealed record Entry(Secret? Token, LnbitsWalletKey? WalletKey, DateTimeOffset ExpiresAt);
}
