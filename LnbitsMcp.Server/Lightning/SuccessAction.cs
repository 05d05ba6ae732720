using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// A LUD-09 <c>successAction</c>: <c>message</c> (text ≤ 144), <c>url</c> (description ≤ 144, a URL on the
/// callback's host) or <c>aes</c> (LUD-10: description ≤ 144, base64 ciphertext ≤ 4 kB, base64 16-byte IV).
/// Any other tag is an error: LUD-09 says a wallet must not pay then.
/// </summary>
public sealed record SuccessAction
{
    /// <summary>LUD-09's limit for <c>message</c> and <c>description</c>.</summary>
    public const int MaxTextLength = 144;

    /// <summary>LUD-10's limit for the base64 ciphertext.</summary>
    public const int MaxCiphertextLength = 4096;

    /// <summary><c>message</c>, <c>url</c> or <c>aes</c>.</summary>
    public required string Tag { get; init; }

    /// <summary>The text of a <c>message</c> action.</summary>
    public string? Message { get; init; }

    /// <summary>The description of a <c>url</c> or <c>aes</c> action.</summary>
    public string? Description { get; init; }

    /// <summary>The URL of a <c>url</c> action.</summary>
    public Uri? Url { get; init; }

    /// <summary>The base64 ciphertext of an <c>aes</c> action.</summary>
    public string? Ciphertext { get; init; }

    /// <summary>The base64 IV of an <c>aes</c> action.</summary>
    public string? Iv { get; init; }

    /// <summary>
    /// Parses and checks a <c>successAction</c> element. JSON <c>null</c> (or an absent element) is success
    /// with a null <paramref name="action"/>. Never throws.
    /// </summary>
    public static bool TryParse(
        JsonElement element,
        Uri callback,
        out SuccessAction? action,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(callback);
        action = null;
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            error = null;
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "successAction is not a JSON object";
            return false;
        }

        var tag = LnurlJson.GetString(element, "tag");
        switch (tag)
        {
            case "message":
                var message = LnurlJson.GetString(element, "message");
                if (message is null || !FitsText(message))
                {
                    error = $"successAction message must be a string of at most {MaxTextLength} characters";
                    return false;
                }

                action = new SuccessAction { Tag = tag, Message = message };
                break;
            case "url":
                var description = LnurlJson.GetString(element, "description");
                if (description is null || !FitsText(description))
                {
                    error = $"successAction description must be a string of at most {MaxTextLength} characters";
                    return false;
                }

                var urlText = LnurlJson.GetString(element, "url");
                if (urlText is null
                    || !Uri.TryCreate(urlText, UriKind.Absolute, out var url)
                    || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    error = "successAction url is not an absolute http(s) URL";
                    return false;
                }

                if (!string.Equals(url.IdnHost, callback.IdnHost, StringComparison.OrdinalIgnoreCase))
                {
                    error = "successAction url is not on the callback's domain";
                    return false;
                }

                action = new SuccessAction { Tag = tag, Description = description, Url = url };
                break;
            case "aes":
                var aesDescription = LnurlJson.GetString(element, "description");
                if (aesDescription is null || !FitsText(aesDescription))
                {
                    error = $"successAction description must be a string of at most {MaxTextLength} characters";
                    return false;
                }

                var ciphertext = LnurlJson.GetString(element, "ciphertext");
                if (ciphertext is null || ciphertext.Length > MaxCiphertextLength || !IsBase64(ciphertext, out var cipherBytes)
                    || cipherBytes.Length == 0 || cipherBytes.Length % 16 != 0)
                {
                    error = "successAction ciphertext must be base64 AES blocks of at most 4 kB";
                    return false;
                }

                var iv = LnurlJson.GetString(element, "iv");
                if (iv is null || iv.Length != 24 || !IsBase64(iv, out var ivBytes) || ivBytes.Length != 16)
                {
                    error = "successAction iv must be 16 bytes in base64";
                    return false;
                }

                action = new SuccessAction { Tag = tag, Description = aesDescription, Ciphertext = ciphertext, Iv = iv };
                break;
            default:
                error = $"unsupported successAction tag '{LnurlJson.Clean(tag) ?? "(none)"}'";
                return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Decrypts an <c>aes</c> action (LUD-10: AES-256-CBC, PKCS#7, key = the 32-byte payment preimage).
    /// </summary>
    public bool TryDecrypt(string preimageHex, [NotNullWhen(true)] out string? plaintext, [NotNullWhen(false)] out string? error)
    {
        plaintext = null;
        if (Tag != "aes" || Ciphertext is null || Iv is null)
        {
            error = "not an aes successAction";
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromHexString(preimageHex);
        }
        catch (FormatException)
        {
            error = "preimage is not hex";
            return false;
        }

        if (key.Length != 32)
        {
            error = "preimage must be 32 bytes";
            return false;
        }

        try
        {
            using var aes = Aes.Create();
            aes.Key = key;
            var bytes = aes.DecryptCbc(Convert.FromBase64String(Ciphertext), Convert.FromBase64String(Iv), PaddingMode.PKCS7);
            plaintext = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or DecoderFallbackException)
        {
            error = "could not decrypt the successAction";
            return false;
        }
    }

    private static bool FitsText(string text) => text.EnumerateRunes().Count() <= MaxTextLength;

    private static bool IsBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
