using System.Text.Json.Serialization;

namespace LnbitsMcp.LnbitsSandbox.Api.Models;

/// <summary>Answer of <c>POST /sandbox/wallets</c>.</summary>
internal sealed record CreatedWallet(
    string Id,
    string Name,
    [property: JsonPropertyName("adminkey")] string AdminKey,
    [property: JsonPropertyName("inkey")] string InKey,
    string User,
    string LightningAddress);

/// <summary>Answer of <c>POST /sandbox/users</c>.</summary>
internal sealed record CreatedUser(string Id, string Username);

/// <summary>Answer of <c>GET /sandbox/external-invoice</c>.</summary>
internal sealed record ExternalInvoice(string Bolt11, string PaymentHash);

/// <summary>Answer of <c>POST /api/v1/auth</c>.</summary>
internal sealed record AccessToken(
    [property: JsonPropertyName("access_token")] string Token,
    [property: JsonPropertyName("token_type")] string TokenType);

/// <summary>LUD-06 payRequest.</summary>
internal sealed record LnurlPayRequest(
    [property: JsonPropertyName("tag")] string Tag,
    [property: JsonPropertyName("callback")] string Callback,
    [property: JsonPropertyName("minSendable")] long MinSendable,
    [property: JsonPropertyName("maxSendable")] long MaxSendable,
    [property: JsonPropertyName("metadata")] string Metadata,
    [property: JsonPropertyName("commentAllowed")] int CommentAllowed);
