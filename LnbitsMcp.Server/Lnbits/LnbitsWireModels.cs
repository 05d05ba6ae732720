using System.Text.Json;
using System.Text.Json.Serialization;

namespace LnbitsMcp.Server.Lnbits;

// The JSON LNbits speaks (lnbits-api.md §4–§5), as records. Amounts are msat, as LNbits sends them.

public sealed record LnbitsWalletResponse(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("balance")] long Balance);

public sealed record LnbitsUserWallet(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("adminkey")] string? AdminKey,
    [property: JsonPropertyName("inkey")] string? InvoiceKey,
    [property: JsonPropertyName("balance_msat")] long? BalanceMsat);

public sealed record LnbitsPaymentResponse(
    [property: JsonPropertyName("checking_id")] string? CheckingId,
    [property: JsonPropertyName("payment_hash")] string PaymentHash,
    [property: JsonPropertyName("wallet_id")] string? WalletId,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("fee")] long Fee,
    [property: JsonPropertyName("bolt11")] string? Bolt11,
    [property: JsonPropertyName("payment_request")] string? PaymentRequest,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("pending")] bool? Pending,
    [property: JsonPropertyName("memo")] string? Memo,
    [property: JsonPropertyName("expiry"), JsonConverter(typeof(FlexibleTimestampConverter))] DateTimeOffset? Expiry,
    [property: JsonPropertyName("preimage")] string? Preimage,
    [property: JsonPropertyName("time"), JsonConverter(typeof(FlexibleTimestampConverter))] DateTimeOffset? Time,
    [property: JsonPropertyName("extra")] JsonElement? Extra);

public sealed record LnbitsPaymentStatusResponse(
    [property: JsonPropertyName("paid")] bool Paid,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("preimage")] string? Preimage,
    [property: JsonPropertyName("details")] LnbitsPaymentResponse? Details);

public sealed record LnbitsCreatePaymentRequest
{
    [JsonPropertyName("out")] public required bool Out { get; init; }
    /// <summary>In <see cref="Unit"/>: sats, or a fiat amount (LNbits reads a float and converts it).</summary>
    [JsonPropertyName("amount")] public double? Amount { get; init; }
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("memo")] public string? Memo { get; init; }
    [JsonPropertyName("description_hash")] public string? DescriptionHash { get; init; }
    [JsonPropertyName("expiry")] public int? Expiry { get; init; }
    [JsonPropertyName("bolt11")] public string? Bolt11 { get; init; }
}

/// <summary><c>GET /api/v1/payments/paginated</c>: a page and the number of all matching payments.</summary>
public sealed record LnbitsPaymentPageResponse(
    [property: JsonPropertyName("data")] List<LnbitsPaymentResponse> Data,
    [property: JsonPropertyName("total")] long Total);

/// <summary><c>GET /api/v1/rate/{currency}</c>: sats per unit and the price of one BTC; both 0 without a rate.</summary>
public sealed record LnbitsRateResponse(
    [property: JsonPropertyName("rate")] double Rate,
    [property: JsonPropertyName("price")] double Price);

/// <summary><c>POST /api/v1/conversion</c> body (LNbits' <c>ConversionData</c>; the field is literally <c>from_</c>).</summary>
public sealed record LnbitsConversionRequest(
    [property: JsonPropertyName("from_")] string From,
    [property: JsonPropertyName("amount")] double Amount,
    [property: JsonPropertyName("to")] string To);

public sealed record LnbitsLnurlPaymentRequest(
    [property: JsonPropertyName("lnurl")] string Lnurl,
    [property: JsonPropertyName("amount")] long AmountMsat,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("unit")] string Unit);

public sealed record LnbitsLoginRequest(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password);

public sealed record LnbitsLoginResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LnbitsWalletResponse))]
[JsonSerializable(typeof(List<LnbitsUserWallet>))]
[JsonSerializable(typeof(LnbitsPaymentResponse))]
[JsonSerializable(typeof(List<LnbitsPaymentResponse>))]
[JsonSerializable(typeof(LnbitsPaymentStatusResponse))]
[JsonSerializable(typeof(LnbitsCreatePaymentRequest))]
[JsonSerializable(typeof(LnbitsLnurlPaymentRequest))]
[JsonSerializable(typeof(LnbitsPaymentPageResponse))]
[JsonSerializable(typeof(LnbitsRateResponse))]
[JsonSerializable(typeof(LnbitsConversionRequest))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(LnbitsLoginRequest))]
[JsonSerializable(typeof(LnbitsLoginResponse))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class LnbitsJsonContext : JsonSerializerContext;
