using System.Text.RegularExpressions;
using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Payments;

/// <summary>What a payee rule names: a node (its public key), a Lightning Address or its domain, or an L402 origin.</summary>
public enum PayeeKind
{
    Node,
    Address,
    Origin,
}

/// <summary>
/// Allow- and deny-lists of payees, of the operator (<c>Payments:Payees</c>) or of one session/connection. An entry is
/// a node public key (66 hex), a Lightning Address (<c>user@domain</c>) or domain (<c>domain</c>, <c>*.domain</c>,
/// <c>host:port</c>), or an origin (<c>https://host[:port]</c>). A deny entry refuses what it names; an allow-list
/// of a kind, when it has entries, refuses every payee of that kind it does not name (so an allow-list of domains
/// restricts Lightning Address payments only). Pure.
/// </summary>
public sealed partial record PayeeRules(IReadOnlyList<string>? Allow = null, IReadOnlyList<string>? Deny = null)
{
    public const int MaxEntries = 100;

    public static PayeeRules None { get; } = new();

    public bool IsEmpty => (Allow?.Count ?? 0) == 0 && (Deny?.Count ?? 0) == 0;

    /// <summary>The entry's kind, or null with why it is not a payee.</summary>
    public static PayeeKind? KindOf(string entry, out string? problem)
    {
        problem = null;
        var text = entry.Trim();
        if (NodeKey().IsMatch(text))
        {
            return PayeeKind.Node;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo))
            {
                return PayeeKind.Origin;
            }

            problem = $"'{Shorten(text)}' is not an origin (scheme://host[:port], no path)";
            return null;
        }

        var domain = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        if (domain.Contains('@', StringComparison.Ordinal) ? LightningAddress.TryParse(domain, out _, out _) : DomainName().IsMatch(domain))
        {
            return PayeeKind.Address;
        }

        problem = $"'{Shorten(text)}' is not a node public key (66 hex), a Lightning Address, a domain or an origin";
        return null;
    }

    /// <summary>The first problem of a list of entries, or null when every entry is a payee.</summary>
    public static string? Validate(IReadOnlyList<string>? entries, string name)
    {
        if (entries is null)
        {
            return null;
        }

        if (entries.Count > MaxEntries)
        {
            return $"{name} has {entries.Count} entries; at most {MaxEntries}.";
        }

        foreach (var entry in entries)
        {
            if (KindOf(entry ?? string.Empty, out var problem) is null)
            {
                return $"{name}: {problem}.";
            }
        }

        return null;
    }

    /// <summary>The deny entry naming <paramref name="payee"/>, or null.</summary>
    public string? DenyingEntry(PayeeKind kind, string payee) =>
        Deny?.FirstOrDefault(entry => KindOf(entry, out _) == kind && Matches(kind, entry.Trim(), payee));

    /// <summary>True when an allow-list of this kind exists and does not name <paramref name="payee"/>.</summary>
    public bool AllowListExcludes(PayeeKind kind, string payee)
    {
        var ofKind = (Allow ?? []).Where(entry => KindOf(entry, out _) == kind).ToList();
        return ofKind.Count > 0 && !ofKind.Any(entry => Matches(kind, entry.Trim(), payee));
    }

    /// <summary>Node keys and origins compare whole; an address entry names that address, a domain every address at it, <c>*.domain</c> also its subdomains.</summary>
    private static bool Matches(PayeeKind kind, string entry, string payee) => kind switch
    {
        PayeeKind.Node => string.Equals(entry, payee, StringComparison.OrdinalIgnoreCase),
        PayeeKind.Origin => Uri.TryCreate(entry, UriKind.Absolute, out var uri)
            && string.Equals(uri.GetLeftPart(UriPartial.Authority), payee, StringComparison.OrdinalIgnoreCase),
        _ => MatchesAddress(entry, payee),
    };

    private static bool MatchesAddress(string entry, string address)
    {
        if (entry.Contains('@', StringComparison.Ordinal))
        {
            return string.Equals(entry, address, StringComparison.OrdinalIgnoreCase);
        }

        var domain = address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var host = domain.Split(':')[0];
        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase) || string.Equals(host, entry[2..], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(entry, domain, StringComparison.OrdinalIgnoreCase) || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex("^0[23][0-9a-fA-F]{64}$")]
    private static partial Regex NodeKey();

    [GeneratedRegex(@"^(?=.{1,253}(:\d{1,5})?$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:\d{1,5})?$")]
    private static partial Regex DomainName();
}
