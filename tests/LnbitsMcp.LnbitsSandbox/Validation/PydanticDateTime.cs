using System.Globalization;
using System.Text.RegularExpressions;

namespace LnbitsMcp.LnbitsSandbox.Validation;

/// <summary>
/// pydantic v1's <c>parse_datetime</c>, which validates LNbits' <c>time[op]=…</c> filter values: a number is unix
/// seconds (milliseconds above 2·10¹⁰), else <c>YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|±HH[:]MM]</c>. A date alone is
/// refused (LNbits then ignores the filter). A value without offset is naive; LNbits reads it in the server's local
/// time zone, the sandbox as UTC.
/// </summary>
internal static partial class PydanticDateTime
{
    private const double MsWatershed = 2e10;

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            if (!double.IsFinite(number))
            {
                return false;
            }

            while (Math.Abs(number) > MsWatershed)
            {
                number /= 1000;
            }

            value = DateTimeOffset.UnixEpoch.AddTicks((long)(number * TimeSpan.TicksPerSecond));
            return true;
        }

        var match = DateTimePattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var microseconds = match.Groups["micro"].Success ? int.Parse(match.Groups["micro"].Value.PadRight(6, '0'), CultureInfo.InvariantCulture) : 0;
        try
        {
            var offset = Offset(match.Groups["tz"].Value);
            value = new DateTimeOffset(Part("year"), Part("month"), Part("day"), Part("hour"), Part("minute"), Part("second"), offset)
                .AddTicks(microseconds * 10L);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static TimeSpan Offset(string tz)
    {
        if (tz is "" or "Z")
        {
            return TimeSpan.Zero;
        }

        var digits = tz[1..].Replace(":", string.Empty, StringComparison.Ordinal);
        var minutes = int.Parse(digits[..2], CultureInfo.InvariantCulture) * 60
            + (digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0);
        return TimeSpan.FromMinutes(tz[0] == '-' ? -minutes : minutes);
    }

    [GeneratedRegex(@"^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})[T ](?<hour>\d{1,2}):(?<minute>\d{1,2})(?::(?<second>\d{1,2})(?:\.(?<micro>\d{1,6})\d{0,6})?)?(?<tz>Z|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
