using System.Globalization;
using System.Text.RegularExpressions;

namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>The BOLT11 human-readable amount: digits plus an optional multiplier (m, u, n, p) of one bitcoin.</summary>
internal static partial class Bolt11Amount
{
    private const long MsatPerBitcoin = 100_000_000_000;

    /// <summary>The shortest amount string for an amount in msat (whole bitcoin, then m, u, n, p).</summary>
    public static string Format(long amountMsat)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMsat);
        if (amountMsat % MsatPerBitcoin == 0)
        {
            return (amountMsat / MsatPerBitcoin).ToString(CultureInfo.InvariantCulture);
        }

        (long Divisor, char Unit)[] units = [(100_000_000, 'm'), (100_000, 'u'), (100, 'n')];
        foreach (var (divisor, unit) in units)
        {
            if (amountMsat % divisor == 0)
            {
                return (amountMsat / divisor).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return (amountMsat * 10).ToString(CultureInfo.InvariantCulture) + "p";
    }

    /// <summary>Parses an amount string into msat (pico amounts are truncated to whole msat, as the bolt11 library does).</summary>
    public static bool TryParse(string text, out long amountMsat)
    {
        amountMsat = 0;
        if (!AmountPattern().IsMatch(text))
        {
            return false;
        }

        var unit = char.IsDigit(text[^1]) ? '\0' : text[^1];
        var digits = unit == '\0' ? text : text[..^1];
        if (!decimal.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        try
        {
            var msat = unit switch
            {
                'm' => value * 100_000_000m,
                'u' => value * 100_000m,
                'n' => value * 100m,
                'p' => decimal.Truncate(value / 10m),
                _ => value * MsatPerBitcoin,
            };
            amountMsat = decimal.ToInt64(msat);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\d+[pnum]?$")]
    private static partial Regex AmountPattern();
}
