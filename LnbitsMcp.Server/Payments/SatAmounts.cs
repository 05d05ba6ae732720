namespace LnbitsMcp.Server.Payments;

public static class SatAmounts
{
    /// <summary>Whole sats of an msat amount, rounded up: what limits compare against.</summary>
    public static long Ceiling(long msat) => (msat + 999) / 1000;
}
