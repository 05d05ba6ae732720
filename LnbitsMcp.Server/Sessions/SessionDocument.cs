using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// A session as stored in Redis: plain data, with every credential encrypted by ASP.NET Core Data
/// Protection (the key ring lives in Redis too, so every instance can decrypt).
/// </summary>
public sealed record SessionDocument
{
    [JsonPropertyName("owner")] public string? Owner { get; init; }
    [JsonPropertyName("created_at")] public long CreatedAtMs { get; init; }
    [JsonPropertyName("lnbits")] public StoredLnbits? Lnbits { get; init; }
    [JsonPropertyName("limits")] public SessionLimits? Limits { get; init; }
    [JsonPropertyName("idle_ms")] public long? IdleTimeoutMs { get; init; }

    public sealed record StoredLnbits
    {
        [JsonPropertyName("base_url")] public required string BaseUrl { get; init; }
        [JsonPropertyName("auth_method")] public required string AuthMethod { get; init; }
        [JsonPropertyName("api_key")] public string? ApiKey { get; init; }
        [JsonPropertyName("bearer_token")] public string? BearerToken { get; init; }
        [JsonPropertyName("username")] public string? Username { get; init; }
        [JsonPropertyName("password")] public string? Password { get; init; }
        [JsonPropertyName("wallet_id")] public string? WalletId { get; init; }
        [JsonPropertyName("timeout_seconds")] public int TimeoutSeconds { get; init; }
        [JsonPropertyName("key_type")] public string? KeyType { get; init; }
        [JsonPropertyName("wallet_name")] public string? WalletName { get; init; }
    }
}

// Absent values are left out (read back as null): an idle session's document stays short enough for Redis
// to keep its hash compact (RedisSessionStore).
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionDocument))]
public sealed partial class SessionDocumentJson : JsonSerializerContext;

/// <summary>Converts sessions to and from their stored form, encrypting credentials on the way in.</summary>
public sealed class SessionDocumentSerializer(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LnbitsMcp.Sessions.Credentials.v1");

    public string Serialize(AppSession session)
    {
        var lnbits = session.Lnbits;
        var document = new SessionDocument
        {
            Owner = session.Owner,
            CreatedAtMs = session.CreatedAt.ToUnixTimeMilliseconds(),
            Limits = session.Limits == SessionLimits.None ? null : session.Limits,
            IdleTimeoutMs = session.IdleTimeout is { } idle ? (long)idle.TotalMilliseconds : null,
            Lnbits = lnbits is null ? null : new SessionDocument.StoredLnbits
            {
                BaseUrl = lnbits.BaseUrl.AbsoluteUri,
                AuthMethod = lnbits.AuthMethod.ToWire(),
                ApiKey = Protect(lnbits.ApiKey?.Reveal()),
                BearerToken = Protect(lnbits.BearerToken?.Reveal()),
                Username = Protect(lnbits.Username),
                Password = Protect(lnbits.Password?.Reveal()),
                WalletId = lnbits.WalletId,
                TimeoutSeconds = lnbits.TimeoutSeconds,
                KeyType = lnbits.KeyType.ToWire(),
                WalletName = lnbits.WalletName,
            },
        };
        return JsonSerializer.Serialize(document, SessionDocumentJson.Default.SessionDocument);
    }

    public AppSession Deserialize(string sessionKey, string json, DateTimeOffset lastAccessedAt)
    {
        var document = JsonSerializer.Deserialize(json, SessionDocumentJson.Default.SessionDocument)
            ?? throw new InvalidOperationException("empty session document");
        var stored = document.Lnbits;
        LnbitsSettings? lnbits = null;
        if (stored is not null)
        {
            LnbitsAuthMethods.TryParse(stored.AuthMethod, out var method);
            lnbits = new LnbitsSettings
            {
                BaseUrl = new Uri(stored.BaseUrl),
                AuthMethod = method,
                ApiKey = Secret.FromOptional(Unprotect(stored.ApiKey)),
                BearerToken = Secret.FromOptional(Unprotect(stored.BearerToken)),
                Username = Unprotect(stored.Username),
                Password = Secret.FromOptional(Unprotect(stored.Password)),
                WalletId = stored.WalletId,
                TimeoutSeconds = stored.TimeoutSeconds,
                KeyType = stored.KeyType switch { "admin" => KeyType.Admin, "invoice" => KeyType.Invoice, _ => KeyType.Unknown },
                WalletName = stored.WalletName,
            };
        }

        return new AppSession
        {
            Key = sessionKey,
            Owner = document.Owner,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(document.CreatedAtMs),
            LastAccessedAt = lastAccessedAt,
            Lnbits = lnbits,
            Limits = document.Limits ?? SessionLimits.None,
            IdleTimeout = document.IdleTimeoutMs is { } idle ? TimeSpan.FromMilliseconds(idle) : null,
        };
    }

    private string? Protect(string? value) => value is null ? null : _protector.Protect(value);

    private string? Unprotect(string? value) => value is null ? null : _protector.Unprotect(value);
}
