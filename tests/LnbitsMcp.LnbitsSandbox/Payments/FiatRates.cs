namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>Fixed exchange rates (sats per unit) standing in for LNbits' rate providers.</summary>
internal static class FiatRates
{
    private static readonly Dictionary<string, double> SatsPerUnit = new(StringComparer.Ordinal)
    {
        ["USD"] = 1000,
        ["EUR"] = 1100,
        ["GBP"] = 1300,
        ["CHF"] = 1150,
        ["JPY"] = 6.5,
    };

    public static bool IsSupported(string unit) => SatsPerUnit.ContainsKey(unit);

    public static double Rate(string unit) => SatsPerUnit[unit];
}
