using System.Net;
using System.Text.RegularExpressions;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>Turns what a payer typed — Lightning address, bech32 LNURL, <c>lnurlp://</c> or http(s) URL — into the
/// URL of the payRequest. Unlike LNbits' lnurl library, addresses may carry a port and need no TLD, so sandbox
/// addresses like <c>alice@127.0.0.1:5180</c> work; loopback, <c>localhost</c> and <c>.onion</c> hosts use http.</summary>
internal static partial class LnurlTarget
{
    public static bool TryResolve(string lnurl, out Uri url)
    {
        url = null!;
        var text = lnurl.Trim();
        if (text.Contains('@', StringComparison.Ordinal))
        {
            var lower = text.ToLowerInvariant();
            var match = AddressPattern().Match(lower);
            if (!match.Success)
            {
                return false;
            }

            var domain = match.Groups["domain"].Value;
            var scheme = IsInsecureHost(match.Groups["host"].Value) ? "http" : "https";
            return Uri.TryCreate($"{scheme}://{domain}/.well-known/lnurlp/{match.Groups["user"].Value}", UriKind.Absolute, out url!);
        }

        if (LnurlCodec.TryDecode(text, out var decoded))
        {
            return Uri.TryCreate(decoded, UriKind.Absolute, out url!) && IsHttp(url);
        }

        if (text.StartsWith("lnurlp://", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate("https://" + text["lnurlp://".Length..], UriKind.Absolute, out var lud17))
        {
            var scheme = IsInsecureHost(lud17.Host) ? "http" : "https";
            return Uri.TryCreate($"{scheme}://{text["lnurlp://".Length..]}", UriKind.Absolute, out url!);
        }

        return Uri.TryCreate(text, UriKind.Absolute, out url!) && IsHttp(url);
    }

    public static bool IsInsecureHost(string host)
    {
        var bare = host.Trim('[', ']');
        return bare == "localhost"
            || bare.EndsWith(".localhost", StringComparison.Ordinal)
            || bare.EndsWith(".onion", StringComparison.Ordinal)
            || (IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static bool IsHttp(Uri url) => url.Scheme is "http" or "https";

    [GeneratedRegex(@"^(?<user>[a-z0-9._%+-]+)@(?<domain>(?<host>[a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?)$")]
    private static partial Regex AddressPattern();
}
