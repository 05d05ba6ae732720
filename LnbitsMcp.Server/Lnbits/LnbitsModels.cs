namespace LnbitsMcp.Server.Lnbits;

// What the client returns: integers in msat, signs removed (direction says which way), statuses
// normalised to success / pending / failed.

public sealed record LnbitsWallet(string? Id, string Name, long BalanceMsat);

public sealed record LnbitsPayment(
    string PaymentHash,
    bool Incoming,
    long AmountMsat,
    long FeeMsat,
    string Status,
    string? Memo,
    DateTimeOffset? Time,
    string? Bolt11,
    string? Preimage,
    DateTimeOffset? Expiry,
    string? SuccessAction,
    LnbitsFiatAmount? Fiat = null,
    LnbitsFiatAmount? WalletFiat = null);

/// <summary>
/// A payment's amount in a fiat currency as LNbits recorded it in <c>extra</c>: <c>fiat_*</c> for the currency an
/// invoice was asked in, <c>wallet_fiat_*</c> for the wallet's accounting currency (lnbits/core/services/payments.py
/// <c>calculate_fiat_amounts</c>). <see cref="Rate"/> is sats per unit, <see cref="BtcPrice"/> the price of one BTC.
/// </summary>
public sealed record LnbitsFiatAmount(string Currency, double Amount, double Rate, double BtcPrice);

/// <summary>LNbits' exchange rate for a currency: sats per unit and the price of one BTC (0 when it has none).</summary>
public sealed record LnbitsRate(string Currency, double SatsPerUnit, double BtcPrice);

/// <summary><c>POST /api/v1/conversion</c>: whole sats, BTC, and the amount in each fiat currency involved.</summary>
public sealed record LnbitsConversion(long Sats, double Btc, IReadOnlyDictionary<string, double> Fiat);

/// <summary>One page of payments and how many match the query in all.</summary>
public sealed record LnbitsPaymentPage(IReadOnlyList<LnbitsPayment> Payments, long Total);

public sealed record LnbitsPaymentStatus(string PaymentHash, bool Paid, string Status, string? Preimage, LnbitsPayment? Details);

public sealed record LnbitsWalletKey(string WalletId, string? WalletName, Sessions.Secret Key, Sessions.KeyType KeyType);

public static class PaymentStatuses
{
    public const string Success = "success";
    public const string Pending = "pending";
    public const string Failed = "failed";

    public static string Normalize(string? status, bool? pending) => status?.ToLowerInvariant() switch
    {
        Success or "complete" or "paid" => Success,
        Failed or "cancelled" or "expired" => Failed,
        Pending => Pending,
        _ => pending == true ? Pending : pending == false ? Success : Pending,
    };
}
