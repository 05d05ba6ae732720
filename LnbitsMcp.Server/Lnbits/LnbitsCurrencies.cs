using LnbitsMcp.Server.Caching;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// Which currencies an LNbits converts (<c>GET /api/v1/currencies</c>), cached per LNbits URL for a few minutes, so
/// that an unknown currency is an <c>invalid_argument</c> that says what is supported, before anything is created.
/// </summary>
public sealed class LnbitsCurrencies(TimeProvider time)
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(5);
    private static readonly string[] s_familiar = ["USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "BRL", "INR"];
    private readonly BoundedMap<string, Entry> _entries = new(1_000, StringComparer.Ordinal);

    /// <summary>The currency as LNbits spells it (upper case), or <c>invalid_argument</c>.</summary>
    public async Task<string> RequireSupportedAsync(LnbitsClient client, string currency, CancellationToken cancellationToken)
    {
        var code = currency.Trim().ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            throw ToolException.InvalidArgument($"currency must be a 3-letter ISO 4217 code such as USD or EUR (was '{Shorten(currency)}').");
        }

        var supported = await SupportedAsync(client, cancellationToken);
        if (!supported.Contains(code))
        {
            var examples = s_familiar.Where(supported.Contains).ToList();
            var hint = examples.Count > 0 ? $", among them {string.Join(", ", examples)}" : string.Empty;
            throw ToolException.InvalidArgument(
                $"LNbits at {client.Settings.BaseUrl.GetLeftPart(UriPartial.Authority)} does not convert {code}; it supports {supported.Count} currencies{hint}.");
        }

        return code;
    }

    private async Task<HashSet<string>> SupportedAsync(LnbitsClient client, CancellationToken cancellationToken)
    {
        var key = client.Settings.BaseUrl.AbsoluteUri;
        if (_entries.TryGetValue(key, out var cached) && cached.ExpiresAt > time.GetUtcNow())
        {
            return cached.Codes;
        }

        var codes = (await client.GetCurrenciesAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        _entries.Keep(key, new Entry(codes, time.GetUtcNow() + s_lifetime));
        return codes;
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";

    private sealed record Entry(HashSet<string> Codes, DateTimeOffset ExpiresAt);
}
