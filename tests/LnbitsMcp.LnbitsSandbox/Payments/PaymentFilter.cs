using System.Globalization;
using LnbitsMcp.LnbitsSandbox.Ledger;
using Microsoft.Extensions.Primitives;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>One <c>field[op]=value</c> filter of LNbits' <c>Filter.parse_query</c>.</summary>
internal sealed record PaymentFilter(string Field, string Op, IReadOnlyList<object> Values)
{
    private static readonly string[] Operators = ["eq", "ne", "gt", "lt", "ge", "le", "in", "ex", "like", "every", "any"];
    private static readonly string[] ListOperators = ["in", "ex", "every", "any"];

    public static bool TryParse(string key, StringValues rawValues, out PaymentFilter filter)
    {
        filter = null!;
        string field;
        var op = "eq";
        if (key.EndsWith(']'))
        {
            var split = key[..^1].Split('[');
            if (split.Length != 2 || !Operators.Contains(split[1], StringComparer.Ordinal))
            {
                return false;
            }

            (field, op) = (split[0], split[1]);
        }
        else
        {
            field = key;
        }

        if (!PaymentQuery.IsTextField(field) && field is not ("amount" or "fee" or "time"))
        {
            return false;
        }

        IEnumerable<string> raw = rawValues.Select(v => v ?? string.Empty);
        if (ListOperators.Contains(op, StringComparer.Ordinal))
        {
            raw = raw.SelectMany(v => v.Split(','));
        }

        var values = new List<object>();
        foreach (var value in raw)
        {
            if (!TryConvert(field, value, out var converted))
            {
                return false;
            }

            values.Add(converted);
        }

        filter = new PaymentFilter(field, op, values);
        return true;
    }

    public bool Matches(PaymentRecord payment)
    {
        var actual = PaymentQuery.FieldValue(payment, Field);
        return Op switch
        {
            "in" => actual is not null && Values.Any(v => Compare(actual, v) == 0),
            "ex" => actual is not null && Values.All(v => Compare(actual, v) != 0),
            "every" => Values.All(v => SqlLike.Matches(actual?.ToString(), $"%\"{v}\"%")),
            "any" => Values.Any(v => SqlLike.Matches(actual?.ToString(), $"%\"{v}\"%")),
            "like" => Values.Any(v => SqlLike.Matches(actual?.ToString(), $"%{v}%")),
            _ => Values.Any(v => actual is not null && Test(Compare(actual, v))),
        };
    }

    private bool Test(int comparison) => Op switch
    {
        "eq" => comparison == 0,
        "ne" => comparison != 0,
        "gt" => comparison > 0,
        "lt" => comparison < 0,
        "ge" => comparison >= 0,
        "le" => comparison <= 0,
        _ => false,
    };

    private static int Compare(object actual, object expected) => (actual, expected) switch
    {
        (long a, long b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => string.CompareOrdinal(actual.ToString(), expected.ToString()),
    };

    private static bool TryConvert(string field, string value, out object converted)
    {
        converted = value;
        switch (field)
        {
            case "amount" or "fee":
                if (long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    converted = number;
                    return true;
                }

                return false;
            case "time":
                // Validated as pydantic v1 does, then bound as int(timestamp) on SQLite (lnbits/db.py lines 154–157).
                if (Validation.PydanticDateTime.TryParse(value, out var time))
                {
                    converted = DateTimeOffset.FromUnixTimeSeconds((long)((time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerSecond));
                    return true;
                }

                return false;
            default:
                return true;
        }
    }
}
