namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>What goes into a BOLT11 invoice before it is encoded and signed.</summary>
internal sealed record InvoiceDraft
{
    /// <summary>BOLT11 currency prefix: <c>bcrt</c> (regtest), <c>bc</c>, <c>tb</c>, <c>tbs</c>.</summary>
    public string Currency { get; init; } = "bcrt";

    /// <summary>Amount in msat; null for an amountless invoice.</summary>
    public long? AmountMsat { get; init; }

    /// <summary>Creation time, unix seconds.</summary>
    public required long Timestamp { get; init; }

    public required byte[] PaymentHash { get; init; }

    public required byte[] PaymentSecret { get; init; }

    /// <summary>The <c>d</c> field; ignored when <see cref="DescriptionHash"/> is set.</summary>
    public string? Description { get; init; }

    /// <summary>The <c>h</c> field (32 bytes).</summary>
    public byte[]? DescriptionHash { get; init; }

    public int ExpirySeconds { get; init; } = 3600;

    public int MinFinalCltvExpiry { get; init; } = 18;
}
