using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// A Lightning Address (LUD-16), <c>username@domain</c>, lowercase. The domain may carry a port and may be
/// an IP literal (<c>alice@127.0.0.1:5123</c>, <c>bob@[::1]:5123</c>) so the local LNbits sandbox can be
/// addressed; whether such a destination may be contacted is the SSRF guard's decision, not this type's.
/// </summary>
public sealed record LightningAddress
{
    /// <summary>Longest accepted address (RFC 5321's path limit).</summary>
    public const int MaxLength = 320;

    private LightningAddress(string username, string host, int? port)
    {
        Username = username;
        Host = host;
        Port = port;
    }

    /// <summary>The part before <c>@</c>: <c>a-z0-9-_.+%</c>.</summary>
    public string Username { get; }

    /// <summary>The DNS name or IP literal (IPv6 without brackets).</summary>
    public string Host { get; }

    /// <summary>The explicit port, if any.</summary>
    public int? Port { get; }

    /// <summary>True when <see cref="Host"/> is an IP address rather than a DNS name.</summary>
    public bool IsIpLiteral => IPAddress.TryParse(Host, out _);

    /// <summary>The domain as written after <c>@</c>: host, brackets for IPv6, and port.</summary>
    public string Domain
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            return Port is { } port ? string.Create(CultureInfo.InvariantCulture, $"{host}:{port}") : host;
        }
    }

    /// <summary>
    /// Parses <paramref name="text"/> (trimmed and lowercased first; an optional <c>lightning:</c> prefix is dropped).
    /// </summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out LightningAddress? address,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty lightning address";
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        if (value.StartsWith("lightning:", StringComparison.Ordinal))
        {
            value = value["lightning:".Length..];
        }

        if (value.Length > MaxLength)
        {
            error = "lightning address too long";
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != value.LastIndexOf('@'))
        {
            error = "a lightning address has the form user@domain";
            return false;
        }

        var username = value[..at];
        var domain = value[(at + 1)..];
        if (username.Length == 0)
        {
            error = "lightning address has an empty username";
            return false;
        }

        foreach (var c in username)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or '+' or '%'))
            {
                error = "lightning address username may only contain a-z 0-9 - _ . + %";
                return false;
            }
        }

        if (!TrySplitDomain(domain, out var host, out var port, out error))
        {
            return false;
        }

        address = new LightningAddress(username, host, port);
        return true;
    }

    /// <summary>
    /// The LUD-16 payRequest URL, <c>https://domain/.well-known/lnurlp/username</c>, or <c>http://</c> when
    /// <paramref name="useHttp"/> (the caller decides, e.g. for a private sandbox the SSRF guard admits).
    /// </summary>
    public Uri WellKnownUri(bool useHttp = false)
    {
        var builder = new UriBuilder(useHttp ? Uri.UriSchemeHttp : Uri.UriSchemeHttps, Host, Port ?? -1)
        {
            Path = "/.well-known/lnurlp/" + Uri.EscapeDataString(Username),
        };
        return builder.Uri;
    }

    /// <summary><c>username@domain</c>.</summary>
    public override string ToString() => $"{Username}@{Domain}";

    private static bool TrySplitDomain(string domain, out string host, out int? port, [NotNullWhen(false)] out string? error)
    {
        host = string.Empty;
        port = null;
        string? portText = null;
        if (domain.StartsWith('['))
        {
            var close = domain.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "lightning address has an unclosed IPv6 literal";
                return false;
            }

            host = domain[1..close];
            var rest = domain[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = "lightning address domain is invalid";
                    return false;
                }

                portText = rest[1..];
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || host.Contains('%', StringComparison.Ordinal))
            {
                error = "lightning address has an invalid IPv6 literal";
                return false;
            }

            host = v6.ToString();
        }
        else
        {
            var colon = domain.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? domain : domain[..colon];
            if (colon >= 0)
            {
                portText = domain[(colon + 1)..];
            }

            if (!IsValidHost(host))
            {
                error = "lightning address domain is not a valid host name or IP address";
                return false;
            }
        }

        if (portText is not null)
        {
            if (portText.Length is 0 or > 5
                || !portText.All(char.IsAsciiDigit)
                || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                || parsed is < 1 or > 65535)
            {
                error = "lightning address has an invalid port";
                return false;
            }

            port = parsed;
        }

        error = null;
        return true;
    }

    private static bool IsValidHost(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        var labels = host.Split('.');
        if (labels.All(label => label.Length > 0 && label.All(char.IsAsciiDigit)))
        {
            // All-numeric: only a canonical dotted quad (no "127.1", no octal-looking "010.0.0.1").
            return labels.Length == 4
                && labels.All(label => label.Length <= 3 && (label.Length == 1 || label[0] != '0')
                    && int.Parse(label, CultureInfo.InvariantCulture) <= 255);
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            if (!label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        // The top-level label of a DNS name is never all digits.
        return !labels[^1].All(char.IsAsciiDigit);
    }
}
