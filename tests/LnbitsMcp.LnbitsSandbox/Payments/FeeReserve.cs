namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>LNbits' fee reserve for external payments: max(<c>lnbits_reserve_fee_min</c> = 2000 msat,
/// amount × <c>lnbits_reserve_fee_percent</c> = 1 %); zero for internal ones. No service fee.</summary>
internal static class FeeReserve
{
    public const long MinimumMsat = 2000;
    public const double Percent = 1.0;

    public static long ForAmount(long amountMsat, bool isInternal = false) =>
        isInternal ? 0 : Math.Max(MinimumMsat, (long)(Math.Abs(amountMsat) * Percent / 100.0));

    /// <summary>The whole-sat figure of "You must reserve at least (N  sat)…" (Python's round, half to even).</summary>
    public static long RoundedSats(long reserveMsat) => (long)Math.Round(reserveMsat / 1000.0, MidpointRounding.ToEven);
}
