using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// The distributed cache behind the SDK's resumable event streams, with hashed keys and encrypted
/// values: the stored events are tool results (which can carry a session_id or a preimage) and the
/// keys carry MCP session ids, neither of which may be readable in a Redis dump. Resumability is
/// best effort: while Redis is down events are not kept, and requests still get their answers.
/// </summary>
public sealed partial class ProtectedDistributedCache(IDistributedCache inner, IDataProtectionProvider dataProtection, ILogger<ProtectedDistributedCache> logger) : IDistributedCache
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LnbitsMcp.Mcp.EventStreams.v1");

    public byte[]? Get(string key) => Tolerate(() => Unprotect(inner.Get(Hash(key))));

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        await TolerateAsync(async () => Unprotect(await inner.GetAsync(Hash(key), token)));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Tolerate(() => { inner.Set(Hash(key), _protector.Protect(value), options); return (byte[]?)null; });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        TolerateAsync(async () => { await inner.SetAsync(Hash(key), _protector.Protect(value), options, token); return (byte[]?)null; });

    public void Refresh(string key) => Tolerate(() => { inner.Refresh(Hash(key)); return (byte[]?)null; });

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        TolerateAsync(async () => { await inner.RefreshAsync(Hash(key), token); return (byte[]?)null; });

    public void Remove(string key) => Tolerate(() => { inner.Remove(Hash(key)); return (byte[]?)null; });

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        TolerateAsync(async () => { await inner.RemoveAsync(Hash(key), token); return (byte[]?)null; });

    private byte[]? Tolerate(Func<byte[]?> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception ex) when (Sessions.RedisFailure.Is(ex))
        {
            LogUnavailable(logger, ex.GetType().Name);
            return null;
        }
    }

    private async Task<byte[]?> TolerateAsync(Func<Task<byte[]?>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (Sessions.RedisFailure.Is(ex))
        {
            LogUnavailable(logger, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP event streams are not kept while Redis is unavailable ({ErrorType})")]
    private static partial void LogUnavailable(ILogger logger, string errorType);

    private byte[]? Unprotect(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null; // written by another key ring or tampered with: treat as missing
        }
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
