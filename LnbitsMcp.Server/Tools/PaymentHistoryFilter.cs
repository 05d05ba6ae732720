using System.Globalization;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

/// <summary>
/// Turns <c>get_payments</c>' filter arguments into an <see cref="LnbitsPaymentQuery"/>, refusing what LNbits would
/// silently ignore (it drops filters it cannot parse) with <c>invalid_argument</c>. Times: ISO-8601 with a date and a
/// time (an offset or <c>Z</c>; none means UTC), or a date alone (since: its start; until: its end); both bounds
/// inclusive, to the second.
/// </summary>
public static class PaymentHistoryFilter
{
    public const int MaxSearchLength = 200;
    public const string DefaultStatuses = "success and pending";

    private static readonly string[] s_dateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static LnbitsPaymentQuery Build(int limit, int offset, string? direction, string? status, string? since, string? until, string? search)
    {
        var from = since is null ? (DateTimeOffset?)null : ParseTime("since", since, endOfDay: false);
        var to = until is null ? (DateTimeOffset?)null : ParseTime("until", until, endOfDay: true);
        if (from is not null && to is not null && from >= to)
        {
            throw ToolException.InvalidArgument($"since ({since}) must be before until ({until}).");
        }

        var text = search?.Trim();
        if (search is not null && (text!.Length == 0 || text.Length > MaxSearchLength))
        {
            throw ToolException.InvalidArgument($"search must be 1 to {MaxSearchLength} characters.");
        }

        return new LnbitsPaymentQuery
        {
            Limit = limit,
            Offset = offset,
            Incoming = direction?.Trim().ToLowerInvariant() switch
            {
                null => null,
                "incoming" or "in" or "received" => true,
                "outgoing" or "out" or "sent" => false,
                _ => throw ToolException.InvalidArgument($"direction must be incoming or outgoing (was '{direction}')."),
            },
            Statuses = status?.Trim().ToLowerInvariant() switch
            {
                null => [PaymentStatuses.Success, PaymentStatuses.Pending],
                "all" => [],
                PaymentStatuses.Success or PaymentStatuses.Pending or PaymentStatuses.Failed => [status.Trim().ToLowerInvariant()],
                _ => throw ToolException.InvalidArgument($"status must be success, pending, failed or all (was '{status}')."),
            },
            Since = from,
            Before = to,
            Search = text,
        };
    }

    /// <summary>The bound as LNbits compares it: whole seconds; <c>until</c> becomes the exclusive start of the next second.</summary>
    private static DateTimeOffset ParseTime(string argument, string text, bool endOfDay)
    {
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (!DateTimeOffset.TryParseExact(value, s_dateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw ToolException.InvalidArgument(
                $"{argument} must be an ISO-8601 date or date-time, e.g. 2026-03-20 or 2026-03-20T14:30:00Z (was '{(value.Length > 40 ? value[..40] + "…" : value)}').");
        }

        var second = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return endOfDay ? second.AddSeconds(1) : second;
    }
}
