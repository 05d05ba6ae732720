using System.Text;
using LnbitsMcp.LnbitsSandbox.Invoices;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>LUD-01 bech32 LNURLs (hrp <c>lnurl</c>, data = the URL's bytes).</summary>
internal static class LnurlCodec
{
    public static string Encode(string url) =>
        Bech32.Encode("lnurl", Bech32.ConvertBits(Encoding.UTF8.GetBytes(url), 8, 5, pad: true)).ToUpperInvariant();

    public static bool TryDecode(string lnurl, out string url)
    {
        url = string.Empty;
        var text = lnurl.Trim();
        if (text.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["lightning:".Length..];
        }

        if (!Bech32.TryDecode(text, out var hrp, out var data5) || hrp != "lnurl")
        {
            return false;
        }

        try
        {
            url = new UTF8Encoding(false, true).GetString(Bech32.ConvertBits(data5, 5, 8, pad: false));
            return Uri.TryCreate(url, UriKind.Absolute, out _);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
