using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace LnbitsMcp.Server.Lightning;

/// <summary>LUD-01 bech32 LNURLs (<c>LNURL1…</c>) and LUD-17 schemes (<c>lnurlp://…</c>).</summary>
public static class Lnurl
{
    private static readonly string[] Lud17Schemes = ["lnurlp", "lnurlw", "lnurlc", "keyauth"];

    /// <summary>
    /// Decodes a bech32 LNURL (HRP <c>lnurl</c>, either case, optional <c>lightning:</c> prefix) or a LUD-17
    /// URL (<c>lnurlp://host/path</c> → <c>https://host/path</c>, <c>http://</c> for <c>.onion</c>) to the
    /// absolute http(s) URL it carries. Never throws.
    /// </summary>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty LNURL";
            return false;
        }

        var value = text.Trim();
        if (value.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["lightning:".Length..];
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            return TryDecodeLud17(value, schemeEnd, out uri, out error);
        }

        if (!Bech32.TryDecode(value, Bech32.MaxInvoiceLength, out var data, out var bech32Error))
        {
            error = $"invalid LNURL: {bech32Error}";
            return false;
        }

        if (data.Hrp != "lnurl")
        {
            error = "invalid LNURL: prefix must be lnurl";
            return false;
        }

        if (!Bech32.TryConvertBits(data.Words, 5, 8, pad: false, out var bytes))
        {
            error = "invalid LNURL: bad padding";
            return false;
        }

        string url;
        try
        {
            url = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            error = "invalid LNURL: not UTF-8";
            return false;
        }

        return TryAbsoluteHttpUri(url, out uri, out error);
    }

    private static bool TryDecodeLud17(string value, int schemeEnd, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        var scheme = value[..schemeEnd].ToLowerInvariant();
        if (scheme is "https" or "http")
        {
            return TryAbsoluteHttpUri(value, out uri, out error);
        }

        if (!Lud17Schemes.Contains(scheme))
        {
            error = $"unsupported LNURL scheme '{scheme}'";
            return false;
        }

        var rest = value[(schemeEnd + 3)..];
        if (!Uri.TryCreate("https://" + rest, UriKind.Absolute, out var https))
        {
            error = "invalid LNURL: not a URL";
            return false;
        }

        var target = https.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(https) { Scheme = Uri.UriSchemeHttp, Port = https.IsDefaultPort ? -1 : https.Port }.Uri
            : https;
        return TryAbsoluteHttpUri(target.AbsoluteUri, out uri, out error);
    }

    private static bool TryAbsoluteHttpUri(string url, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? error)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            uri = null;
            error = "invalid LNURL: not an http(s) URL";
            return false;
        }

        error = null;
        return true;
    }
}
