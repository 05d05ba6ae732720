using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Session ids: 256 random bits, base64url (43 chars). Only the user ever holds the raw id; we keep
/// its <see cref="Key"/> (hex SHA-256) and show its <see cref="Hint"/> (the key's first 16 hex chars).
/// </summary>
public static class SessionId
{
    private const int RandomBytes = 32;
    private const int MinLength = 22; // 128 bits
    private const int MaxLength = 128;

    public static string New()
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
        Telemetry.SecretRedactor.Register(id);
        return id;
    }

    /// <summary>The storage key of a session id: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Key(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    /// <summary>The non-secret session hint of CONTRACT §6 (first 16 hex chars of SHA-256).</summary>
    public static string Hint(string sessionId) => HintOfKey(Key(sessionId));

    public static string HintOfKey(string sessionKey) => sessionKey[..16];

    /// <summary>True when the text could be a session id we issued (length and base64url alphabet).</summary>
    public static bool IsWellFormed(string? candidate) =>
        candidate is { Length: >= MinLength and <= MaxLength } && candidate.All(IsBase64UrlChar);

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
