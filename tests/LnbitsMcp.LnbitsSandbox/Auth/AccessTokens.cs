using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Auth;

/// <summary>User access tokens as LNbits issues them: HS256 JWTs with <c>sub</c> (username), <c>usr</c> (user id),
/// <c>auth_time</c> and <c>exp</c>, signed with a per-instance secret.</summary>
internal sealed class AccessTokens(TimeProvider clock, SettingsStore settings)
{
    private static readonly string Header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    public string Issue(SandboxUser user)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["sub"] = user.Username ?? string.Empty,
            ["usr"] = user.Id,
            ["email"] = null,
            ["auth_time"] = now,
            ["api_token_id"] = null,
            ["exp"] = now + settings.Current.TokenLifetimeSeconds,
        };
        var body = Header + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return body + "." + Base64Url(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>The payload's <c>sub</c> and <c>usr</c>; 401 "Invalid access token." or "Session expired.".</summary>
    public (string Subject, string? UserId) Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw Invalid();
        }

        var expected = HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!TryFromBase64Url(parts[2], out var signature) || !CryptographicOperations.FixedTimeEquals(expected, signature)
            || !TryFromBase64Url(parts[1], out var payloadBytes))
        {
            throw Invalid();
        }

        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(payloadBytes) as JsonObject ?? throw Invalid();
        }
        catch (JsonException)
        {
            throw Invalid();
        }

        var exp = payload["exp"]?.GetValue<long>() ?? long.MaxValue;
        if (exp <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            throw new ApiException(StatusCodes.Status401Unauthorized, "Session expired.",
                new Dictionary<string, string> { ["token-expired"] = "true" });
        }

        return (payload["sub"]?.GetValue<string>() ?? string.Empty, payload["usr"]?.GetValue<string>());
    }

    private static ApiException Invalid() => ApiException.Unauthorized("Invalid access token.");

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
