using System.Net;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// Which redirect URIs a client may use: https, or http to a loopback address on any port (RFC 8252 §7.3),
/// never with a fragment; a requested URI must match a registered one exactly, except for the loopback port.
/// </summary>
public static class RedirectUris
{
    public static bool IsAcceptable(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)));

    public static bool Matches(IEnumerable<string> registered, string requested)
    {
        if (!IsAcceptable(requested))
        {
            return false;
        }

        var wanted = new Uri(requested);
        foreach (var candidate in registered)
        {
            if (string.Equals(candidate, requested, StringComparison.Ordinal))
            {
                return true;
            }

            // RFC 8252 §7.3: native apps pick a free loopback port at run time.
            if (wanted.Scheme == Uri.UriSchemeHttp && IsLoopback(wanted)
                && Uri.TryCreate(candidate, UriKind.Absolute, out var known)
                && known.Scheme == Uri.UriSchemeHttp && IsLoopback(known)
                && string.Equals(known.Host, wanted.Host, StringComparison.OrdinalIgnoreCase)
                && string.Equals(known.PathAndQuery, wanted.PathAndQuery, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsLoopback(Uri uri) =>
        string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
