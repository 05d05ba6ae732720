namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// A decoded BOLT 11 invoice. Built only by <see cref="Bolt11Decoder"/>; hex strings are lowercase.
/// </summary>
public sealed record Bolt11Invoice
{
    /// <summary>BOLT 11's default expiry (<c>x</c> absent).</summary>
    public const long DefaultExpirySeconds = 3600;

    /// <summary>BOLT 11's default <c>min_final_cltv_expiry_delta</c> (<c>c</c> absent).</summary>
    public const long DefaultMinFinalCltvExpiry = 18;

    /// <summary>The invoice, lowercase, without a <c>lightning:</c> prefix.</summary>
    public required string Bolt11 { get; init; }

    public required LightningNetwork Network { get; init; }

    /// <summary>The amount in millisatoshi; null for an amountless ("any amount") invoice.</summary>
    public long? AmountMsat { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public long ExpirySeconds { get; init; } = DefaultExpirySeconds;

    /// <summary><see cref="Timestamp"/> + <see cref="ExpirySeconds"/> (saturating at the largest date).</summary>
    public DateTimeOffset ExpiresAt =>
        ExpirySeconds >= (DateTimeOffset.MaxValue - Timestamp).TotalSeconds
            ? DateTimeOffset.MaxValue
            : Timestamp.AddSeconds(ExpirySeconds);

    /// <summary>SHA-256 payment hash, 64 hex characters.</summary>
    public required string PaymentHash { get; init; }

    /// <summary>
    /// The payment secret (<c>s</c>), 64 hex characters. <see cref="Bolt11Decoder"/> requires it
    /// (BOLT 11: a reader MUST fail without it), so it is always set on decoded invoices.
    /// </summary>
    public string? PaymentSecret { get; init; }

    /// <summary>The <c>d</c> field (UTF-8 text); null when the invoice commits to a hash instead.</summary>
    public string? Description { get; init; }

    /// <summary>The <c>h</c> field, 64 hex characters; null when the invoice carries <see cref="Description"/>.</summary>
    public string? DescriptionHash { get; init; }

    /// <summary>The payee node's compressed public key (66 hex), from <c>n</c> or recovered from the signature.</summary>
    public required string Payee { get; init; }

    public long MinFinalCltvExpiry { get; init; } = DefaultMinFinalCltvExpiry;

    /// <summary>Feature bits of the <c>9</c> field, lowest bit first (see <see cref="Bolt11Features"/>).</summary>
    public IReadOnlyList<Bolt11Feature> Features { get; init; } = [];

    /// <summary>Private routes (<c>r</c> fields), each the ordered hops from a public node to the payee.</summary>
    public IReadOnlyList<IReadOnlyList<RouteHintHop>> RouteHints { get; init; } = [];

    /// <summary>On-chain fallback addresses (<c>f</c> fields) in the invoice's order; unknown versions are skipped.</summary>
    public IReadOnlyList<string> FallbackAddresses { get; init; } = [];

    /// <summary>The <c>m</c> field (payment metadata) as hex.</summary>
    public string? Metadata { get; init; }

    /// <summary>
    /// True when the signature verifies: against <c>n</c> when present, otherwise always (the payee is
    /// recovered from it). False only when <c>n</c> is present and does not match.
    /// </summary>
    public required bool SignatureValid { get; init; }

    /// <summary>True when <paramref name="now"/> is at or past <see cref="ExpiresAt"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}

/// <summary>One feature of an invoice's <c>9</c> field.</summary>
/// <param name="Name">The BOLT 9 name, e.g. <c>basic_mpp</c>, or <c>unknown_&lt;bit&gt;</c>.</param>
/// <param name="Bit">The bit that was set (even = required, odd = optional).</param>
/// <param name="IsRequired">True for an even bit.</param>
public sealed record Bolt11Feature(string Name, int Bit, bool IsRequired)
{
    /// <summary>E.g. <c>payment_secret (required)</c>.</summary>
    public override string ToString() => $"{Name} ({(IsRequired ? "required" : "optional")})";
}

/// <summary>One hop of a route hint (<c>r</c> field).</summary>
/// <param name="PublicKey">The node at the start of the channel, 66 hex.</param>
/// <param name="ShortChannelId">The channel as <c>BLOCKxTXxOUTPUT</c>.</param>
public sealed record RouteHintHop(
    string PublicKey,
    string ShortChannelId,
    long FeeBaseMsat,
    long FeeProportionalMillionths,
    int CltvExpiryDelta);
