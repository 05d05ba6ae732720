using System.Globalization;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public sealed record WalletDetailsResult(string? Id, string Name, long BalanceMsat, long BalanceSat, string KeyType) : IToolResult
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture, $"Wallet '{Name}' holds {BalanceSat} sats ({BalanceMsat} msat).");
}

public sealed record WalletBalanceResult(long BalanceMsat, long BalanceSat) : IToolResult
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture, $"Balance: {BalanceSat} sats ({BalanceMsat} msat).");
}

public sealed record PaymentItem(
    string PaymentHash,
    string Direction,
    long AmountMsat,
    long AmountSat,
    long FeeMsat,
    string Status,
    string? Memo,
    DateTimeOffset? Time,
    string? Bolt11)
{
    public static PaymentItem From(LnbitsPayment payment) => new(
        payment.PaymentHash,
        payment.Incoming ? "incoming" : "outgoing",
        payment.AmountMsat,
        Sats.FromMsat(payment.AmountMsat),
        payment.FeeMsat,
        payment.Status,
        payment.Memo,
        payment.Time,
        payment.Bolt11);
}

/// <summary><c>get_payments</c>' result: this page (<see cref="Count"/> rows) of <see cref="Total"/> matching payments.</summary>
public sealed record PaymentsResult(IReadOnlyList<PaymentItem> Payments, int Count, long Total) : IToolResult
{
    public string Summary() => Count == 0
        ? string.Create(CultureInfo.InvariantCulture, $"No payments on this page ({Total} match in all).")
        : string.Create(CultureInfo.InvariantCulture, $"{Count} of {Total} matching payments, newest first.");
}

public sealed record PaymentStatusResult(
    string PaymentHash,
    bool Paid,
    string Status,
    long? AmountMsat,
    long? FeeMsat,
    string? Memo,
    string? Preimage,
    DateTimeOffset? Time) : IToolResult
{
    public string Summary() => $"Payment {PaymentHash[..12]}… is {Status}.";
}

/// <summary>msat → sat, rounding down (a partial sat is not spendable as a whole sat).</summary>
public static class Sats
{
    public static long FromMsat(long msat) => msat / 1000;
}
