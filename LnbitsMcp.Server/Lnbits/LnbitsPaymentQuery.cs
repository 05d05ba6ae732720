using System.Globalization;
using System.Text;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// A query of <c>GET /api/v1/payments/paginated</c> in LNbits' filter syntax (lnbits/decorators.py <c>parse_filters</c>,
/// lnbits/db.py <c>Filter.parse_query</c>): <c>field[op]=value</c> with ops eq, ne, gt, lt, ge, le, in (comma list),
/// plus <c>search</c>, <c>sortby</c>, <c>direction</c>, <c>limit</c>, <c>offset</c>. A filter LNbits cannot parse is
/// silently ignored there, so every value here is built in a form it accepts: direction as the amount's sign
/// (<c>amount[gt]=0</c> incoming, <c>amount[lt]=0</c> outgoing, as LNbits' own payment list does), times as whole-second
/// UTC ISO-8601 (<c>2026-03-20T10:00:00Z</c>; LNbits compares whole seconds on SQLite).
/// </summary>
public sealed record LnbitsPaymentQuery
{
    public int Limit { get; init; } = 10;

    public int Offset { get; init; }

    /// <summary>true: incoming only; false: outgoing only; null: both.</summary>
    public bool? Incoming { get; init; }

    /// <summary>Statuses to include (success, pending, failed); empty: every status.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>Inclusive lower bound of the payment time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Exclusive upper bound of the payment time.</summary>
    public DateTimeOffset? Before { get; init; }

    /// <summary>LNbits' case-insensitive text search over memo, amount, wallet, tag, status, time and labels.</summary>
    public string? Search { get; init; }

    /// <summary>The query string, newest first.</summary>
    public string ToQueryString()
    {
        var query = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"limit={Limit}&offset={Offset}&sortby=time&direction=desc"));
        if (Incoming is { } incoming)
        {
            query.Append(incoming ? "&amount[gt]=0" : "&amount[lt]=0");
        }

        if (Statuses.Count == 1)
        {
            query.Append("&status=").Append(Uri.EscapeDataString(Statuses[0]));
        }
        else if (Statuses.Count > 1)
        {
            query.Append("&status[in]=").Append(Uri.EscapeDataString(string.Join(',', Statuses)));
        }

        if (Since is { } since)
        {
            query.Append("&time[ge]=").Append(Format(since));
        }

        if (Before is { } before)
        {
            query.Append("&time[lt]=").Append(Format(before));
        }

        if (!string.IsNullOrEmpty(Search))
        {
            query.Append("&search=").Append(Uri.EscapeDataString(Search));
        }

        return query.ToString();
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
