using System.Security.Cryptography;
using System.Text.Json;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// Credentials in Redis: one string per session and origin, under <c>lnbits-mcp:{l402:&lt;sha256&gt;}</c> (the
/// hash of ledger key and origin, so a dump names neither), its value encrypted with the shared Data Protection
/// key ring and expiring with the credential.
/// </summary>
public sealed class RedisL402CredentialStore(IConnectionMultiplexer redis, IDataProtectionProvider dataProtection) : IL402CredentialStore
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LnbitsMcp.L402.Credentials.v1");

    public async Task<L402Credential?> GetAsync(string ledgerKey, string origin, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(ledgerKey, origin));
        if (!value.HasValue)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect((byte[])value!), L402CredentialJson.Default.L402Credential);
        }
        catch (CryptographicException)
        {
            return null; // another key ring, or altered: as if absent
        }
    }

    public async Task SaveAsync(string ledgerKey, string origin, L402Credential credential, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var bytes = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(credential, L402CredentialJson.Default.L402Credential));
        await redis.GetDatabase().StringSetAsync(Key(ledgerKey, origin), bytes, lifetime);
    }

    public async Task RemoveAsync(string ledgerKey, string origin, CancellationToken cancellationToken) =>
        await redis.GetDatabase().KeyDeleteAsync(Key(ledgerKey, origin));

    private static string Key(string ledgerKey, string origin) => RedisKeys.Key("l402", RedisKeys.Hashed(ledgerKey + "\n" + origin));
}
