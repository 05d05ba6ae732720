using System.Globalization;
using System.Text.Json;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>LNbits' <c>parse_filters(PaymentFilters)</c>: limit, offset, sortby, direction, search and
/// <c>field[op]=value</c> filters. Unknown fields or operators and unparsable values are ignored.</summary>
internal sealed class PaymentQuery
{
    public const int MaxLimit = 1000;
    private static readonly string[] SortFields = ["created_at", "updated_at", "amount", "fee", "memo", "time", "tag"];
    private static readonly string[] TextFields = ["status", "tag", "checking_id", "memo", "preimage", "payment_hash", "wallet_id", "labels"];

    private readonly List<PaymentFilter> _filters = [];

    public long? Limit { get; private init; }

    public long? Offset { get; private init; }

    public string? SortBy { get; private init; }

    public string? Direction { get; private init; }

    public string? Search { get; private init; }

    public static PaymentQuery Parse(IQueryCollection query)
    {
        var model = new QueryModel(query);
        var result = new PaymentQuery
        {
            Limit = model.Int("limit"),
            Offset = model.Int("offset"),
            SortBy = model.Str("sortby"),
            Direction = model.OneOf("direction", "asc", "desc"),
            Search = model.Str("search"),
        };
        model.ThrowIfInvalid();
        if (result.SortBy is { } sortBy && !SortFields.Contains(sortBy, StringComparer.Ordinal))
        {
            throw ApiException.BadRequest("1 validation error for Filters\n__root__\n  Invalid sort field (type=value_error)");
        }

        foreach (var (key, values) in query)
        {
            if (PaymentFilter.TryParse(key, values, out var filter))
            {
                result._filters.Add(filter);
            }
        }

        return result;
    }

    public IEnumerable<PaymentRecord> Where(IEnumerable<PaymentRecord> payments)
    {
        // lnbits/db.py lines 575–582 and 607–608: lower(<search fields joined>) LIKE '%<search lowered>%'.
        var search = Search?.ToLowerInvariant();
        return payments.Where(p => _filters.All(f => f.Matches(p))
            && (string.IsNullOrEmpty(search) || SqlLike.Matches(SearchText(p), $"%{search}%")));
    }

    public IEnumerable<PaymentRecord> Order(IEnumerable<PaymentRecord> payments, string? defaultSort, string defaultDirection)
    {
        var sortBy = SortBy ?? defaultSort;
        if (sortBy is null)
        {
            return payments.OrderBy(p => p.Sequence);
        }

        var descending = (Direction ?? defaultDirection) == "desc";
        var ordered = descending
            ? payments.OrderByDescending(p => SortKey(p, sortBy), SortKeyComparer.Instance)
            : payments.OrderBy(p => SortKey(p, sortBy), SortKeyComparer.Instance);
        return descending ? ordered.ThenByDescending(p => p.Sequence) : ordered.ThenBy(p => p.Sequence);
    }

    public IEnumerable<PaymentRecord> Page(IEnumerable<PaymentRecord> payments)
    {
        var limit = Limit is null or 0 ? 10 : Math.Min(MaxLimit, Limit.Value);
        var skipped = Offset is > 0 ? payments.Skip((int)Math.Min(int.MaxValue, Offset.Value)) : payments;
        return limit < 0 ? skipped : skipped.Take((int)limit);
    }

    internal static object? FieldValue(PaymentRecord payment, string field) => field switch
    {
        "status" => payment.Status,
        "tag" => payment.Tag,
        "checking_id" => payment.CheckingId,
        "amount" => payment.Amount,
        "fee" => payment.Fee,
        "memo" => payment.Memo,
        "time" or "created_at" => payment.Time,
        "updated_at" => payment.UpdatedAt,
        "preimage" => payment.Preimage,
        "payment_hash" => payment.PaymentHash,
        "wallet_id" => payment.WalletId,
        "labels" => JsonSerializer.Serialize(payment.Labels, SandboxJson.Api.IReadOnlyListString),
        _ => null,
    };

    internal static bool IsTextField(string field) => TextFields.Contains(field, StringComparer.Ordinal);

    private static object? SortKey(PaymentRecord payment, string field) => FieldValue(payment, field);

    private static string SearchText(PaymentRecord payment) => string.Concat(
        payment.Memo ?? string.Empty,
        payment.Amount.ToString(CultureInfo.InvariantCulture),
        payment.WalletId,
        payment.Tag ?? string.Empty,
        payment.Status,
        payment.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        FieldValue(payment, "labels")).ToLowerInvariant();

    private sealed class SortKeyComparer : IComparer<object?>
    {
        public static readonly SortKeyComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (string a, string b) => string.CompareOrdinal(a, b),
            (IComparable a, _) => a.CompareTo(y),
            _ => 0,
        };
    }
}
