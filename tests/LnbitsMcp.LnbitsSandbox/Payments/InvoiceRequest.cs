using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>The invoice half of LNbits' <c>CreateInvoice</c> body (validated).</summary>
internal sealed record InvoiceRequest
{
    public double? Amount { get; init; }

    public string Unit { get; init; } = "sat";

    public string? Memo { get; init; }

    public string? DescriptionHash { get; init; }

    public string? UnhashedDescription { get; init; }

    public long? Expiry { get; init; }

    public JsonObject? Extra { get; init; }

    public string? Webhook { get; init; }

    public string? PaymentHash { get; init; }

    public string? FiatProvider { get; init; }

    public List<string> Labels { get; init; } = [];
}
