using System.Globalization;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public sealed record DecodedInvoiceResult(
    string Network,
    long? AmountMsat,
    long? AmountSat,
    DateTimeOffset Timestamp,
    long ExpirySeconds,
    DateTimeOffset ExpiresAt,
    bool IsExpired,
    string PaymentHash,
    string? PaymentSecret,
    string? Description,
    string? DescriptionHash,
    string Payee,
    long MinFinalCltvExpiry,
    IReadOnlyList<FeatureView> Features,
    IReadOnlyList<IReadOnlyList<RouteHintView>> RouteHints,
    IReadOnlyList<string> FallbackAddresses,
    bool SignatureValid) : IToolResult
{
    public static DecodedInvoiceResult From(Bolt11Invoice invoice, DateTimeOffset now) => new(
        invoice.Network.ToName(),
        invoice.AmountMsat,
        invoice.AmountMsat / 1000,
        invoice.Timestamp,
        invoice.ExpirySeconds,
        invoice.ExpiresAt,
        invoice.IsExpired(now),
        invoice.PaymentHash,
        invoice.PaymentSecret,
        invoice.Description,
        invoice.DescriptionHash,
        invoice.Payee,
        invoice.MinFinalCltvExpiry,
        [.. invoice.Features.Select(f => new FeatureView(f.Name, f.Bit, f.IsRequired))],
        [.. invoice.RouteHints.Select(route => (IReadOnlyList<RouteHintView>)[.. route.Select(RouteHintView.From)])],
        invoice.FallbackAddresses,
        invoice.SignatureValid);

    public string Summary()
    {
        var amount = AmountSat is { } sats ? string.Create(CultureInfo.InvariantCulture, $"{sats} sats") : "no amount (amountless)";
        var state = IsExpired ? "EXPIRED" : string.Create(CultureInfo.InvariantCulture, $"expires {ExpiresAt:u}");
        var what = Description is { Length: > 0 } d ? $" for \"{d}\"" : DescriptionHash is not null ? " (hashed description)" : string.Empty;
        return $"{Network} invoice of {amount}{what}, {state}{(SignatureValid ? string.Empty : ", SIGNATURE INVALID")}.";
    }
}

public sealed record FeatureView(string Name, int Bit, bool Required);

public sealed record RouteHintView(string PublicKey, string ShortChannelId, long FeeBaseMsat, long FeeProportionalMillionths, int CltvExpiryDelta)
{
    public static RouteHintView From(RouteHintHop hop) =>
        new(hop.PublicKey, hop.ShortChannelId, hop.FeeBaseMsat, hop.FeeProportionalMillionths, hop.CltvExpiryDelta);
}

/// <summary>
/// <c>create_invoice</c>'s result. With a currency, <see cref="FiatAmount"/> in <see cref="FiatCurrency"/> was converted by
/// LNbits at <see cref="FiatRate"/> sats per unit (one BTC = <see cref="BtcPrice"/>), truncated to whole sats.
/// </summary>
public sealed record CreateInvoiceResult(
    string PaymentHash,
    string Bolt11,
    long AmountSat,
    DateTimeOffset ExpiresAt,
    string LightningUri,
    string? FiatCurrency = null,
    double? FiatAmount = null,
    double? FiatRate = null,
    double? BtcPrice = null) : IToolResult
{
    public string Summary()
    {
        var fiat = FiatCurrency is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" ({FiatAmount} {FiatCurrency} at {FiatRate:0.##} sats per {FiatCurrency})");
        return string.Create(CultureInfo.InvariantCulture,
            $"Invoice for {AmountSat} sats{fiat}, valid until {ExpiresAt:u}. The QR code below encodes {LightningUri[..Math.Min(24, LightningUri.Length)]}…");
    }
}

public sealed record WaitForPaymentResult(string PaymentHash, bool Paid, string Status, double WaitedSeconds) : IToolResult
{
    public string Summary() => Paid
        ? $"Invoice {PaymentHash[..12]}… is paid."
        : string.Create(CultureInfo.InvariantCulture, $"Invoice {PaymentHash[..12]}… is still {Status} after {WaitedSeconds:F0} s.");
}
