using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Configuration;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The operator's payment policy (CONTRACT §5 "Payment policy"), kept per wallet (LNbits URL + wallet)
/// across sessions and header calls. A session may only tighten it. Defaults are safe for a public deployment.
/// </summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>Largest single payment, in sats.</summary>
    [Range(1, 2_100_000_000_000_000)]
    public long MaxPaymentSats { get; set; } = 100_000;

    /// <summary>Sats one wallet may spend through this server in any rolling 24 hours, over all its sessions.</summary>
    [Range(1, 2_100_000_000_000_000)]
    public long DailyBudgetSats { get; set; } = 200_000;

    /// <summary>Payments one wallet may make through this server in any rolling hour, over all its sessions.</summary>
    [Range(1, 100_000)]
    public int MaxPaymentsPerHour { get; set; } = 30;

    /// <summary>Payments above this many sats wait for a person (CONTRACT §9): the approval page, URL-mode or form elicitation.</summary>
    [Range(0, 2_100_000_000_000_000)]
    public long ConfirmAboveSats { get; set; } = 10_000;

    /// <summary>The Lightning network LNbits runs on: invoices of another network are refused (bitcoin, testnet, signet, regtest, simnet).</summary>
    [RegularExpression("^(bitcoin|testnet|signet|regtest|simnet)$")]
    public string Network { get; set; } = "bitcoin";

    /// <summary>How long a payment LNbits reports as pending is polled before answering.</summary>
    [TimeSpanRange("00:00:00", "00:02:00")]
    public TimeSpan PendingPollTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a pending payment approval (its page and its <c>approval_id</c>) stays valid.</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether a <c>confirmation_required</c> error also carries a one-time <c>confirmation_token</c> that the
    /// client sends back to pay. Off by default: the model itself can send it back, so with it on a payment above
    /// the threshold can go through without a person. Only for trusted single-user setups.
    /// </summary>
    public bool AllowTokenConfirmation { get; set; }

    /// <summary>How long a confirmation token stays valid (with <see cref="AllowTokenConfirmation"/>).</summary>
    [TimeSpanRange("00:00:10", "00:30:00")]
    public TimeSpan ConfirmationTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Lightning Address payments: <c>verify</c> (default) resolves the address and checks the invoice
    /// here (amount, description hash, expiry, network) before paying it; <c>lnbits</c> lets LNbits
    /// 1.3+ run the flow (<c>POST /api/v1/payments/lnurl</c>), which does not check the description
    /// hash or expiry, falling back to <c>verify</c> on older LNbits.
    /// </summary>
    [RegularExpression("^(verify|lnbits)$")]
    public string LightningAddressFlow { get; set; } = "verify";
}
