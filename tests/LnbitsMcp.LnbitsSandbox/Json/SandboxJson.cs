using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Json;

/// <summary>Source-generated JSON for every response shape; snake_case like LNbits' pydantic models.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(LnbitsTimeConverter)])]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(PaymentView))]
[JsonSerializable(typeof(List<PaymentView>))]
[JsonSerializable(typeof(PaymentPage))]
[JsonSerializable(typeof(WalletView))]
[JsonSerializable(typeof(List<WalletView>))]
[JsonSerializable(typeof(SandboxSettings))]
[JsonSerializable(typeof(CreatedWallet))]
[JsonSerializable(typeof(CreatedUser))]
[JsonSerializable(typeof(ExternalInvoice))]
[JsonSerializable(typeof(AccessToken))]
[JsonSerializable(typeof(LnurlPayRequest))]
internal sealed partial class SandboxJson : JsonSerializerContext
{
    /// <summary>The context every response uses: like <see cref="Default"/>, but without escaping '+' or
    /// non-ASCII text (FastAPI writes UTF-8 as is).</summary>
    public static SandboxJson Api { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new LnbitsTimeConverter() },
    });
}
