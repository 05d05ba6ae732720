namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>A decoded BOLT11 invoice, with the field semantics of the bolt11 library LNbits uses.</summary>
internal sealed record Bolt11Invoice
{
    public required string Bolt11 { get; init; }

    public required string Currency { get; init; }

    /// <summary>Amount in msat; null when the invoice has no amount.</summary>
    public long? AmountMsat { get; init; }

    /// <summary>Unix seconds.</summary>
    public required long Timestamp { get; init; }

    /// <summary>r || s as 128 hex chars (no recovery byte).</summary>
    public required string SignatureHex { get; init; }

    public required string PaymentHash { get; init; }

    public string? PaymentSecret { get; init; }

    public string? Description { get; init; }

    public string? DescriptionHash { get; init; }

    public string? Metadata { get; init; }

    public int Expiry { get; init; } = 3600;

    public int MinFinalCltvExpiry { get; init; } = 18;

    /// <summary>Feature name → "required" | "supported", in bit order; null when there is no 9 field.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Features { get; init; }

    /// <summary>The raw 5-bit groups of the first <c>f</c> field (version first), if any.</summary>
    public byte[]? FallbackGroups { get; init; }

    public IReadOnlyList<IReadOnlyList<RouteHintHop>> RouteHints { get; init; } = [];

    /// <summary>Node id (compressed pubkey hex): the n field, else recovered from the signature.</summary>
    public required string Payee { get; init; }

    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(Timestamp + Expiry);

    public bool IsExpired(DateTimeOffset now) => now > ExpiresAt;
}

/// <summary>One hop of an r field.</summary>
internal sealed record RouteHintHop(string PublicKey, string ShortChannelId, long BaseFee, long PpmFee, int CltvExpiryDelta);
