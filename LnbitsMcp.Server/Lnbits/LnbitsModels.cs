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
    string? SuccessAction);

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
