using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>The LNURL-pay service side for sandbox wallets (what LNbits' lnurlp extension serves for Lightning
/// addresses): the payRequest and its callback, which issues an invoice with <c>h</c> = sha256(metadata).
/// <c>lnurl_mode</c> makes the callback misbehave on purpose.</summary>
internal sealed class LnurlServer(InvoiceService invoices, SettingsStore settings, TimeProvider clock)
{
    public const string CallbackPath = "/lnurlp/api/v1/lnurl/cb/";

    public LnurlPayRequest PayRequest(SandboxWallet wallet, string scheme, string host)
    {
        var current = settings.Current;
        return new LnurlPayRequest(
            "payRequest",
            $"{scheme}://{host}{CallbackPath}{wallet.LightningUser}",
            current.LnurlMinSendable,
            current.LnurlMaxSendable,
            Metadata(wallet, host),
            current.LnurlCommentAllowed);
    }

    /// <summary>The raw metadata string: text/plain and text/identifier <c>user@host:port</c>.</summary>
    public static string Metadata(SandboxWallet wallet, string host) =>
        new JsonArray(
            new JsonArray("text/plain", $"Payment to {wallet.Name}"),
            new JsonArray("text/identifier", $"{wallet.LightningUser}@{host}")).ToJsonString();

    /// <summary>The callback's answer: <c>{"pr","successAction","routes"}</c> or <c>{"status":"ERROR","reason"}</c>.</summary>
    public JsonObject Callback(SandboxWallet wallet, string host, long amountMsat, string? comment)
    {
        var current = settings.Current;
        if (amountMsat < current.LnurlMinSendable)
        {
            return Error($"Amount {amountMsat} is smaller than minimum {current.LnurlMinSendable}.");
        }

        if (amountMsat > current.LnurlMaxSendable)
        {
            return Error($"Amount {amountMsat} is greater than maximum {current.LnurlMaxSendable}.");
        }

        if ((comment?.Length ?? 0) > current.LnurlCommentAllowed)
        {
            return Error($"Got a comment with {comment!.Length} characters, but can only accept {current.LnurlCommentAllowed}");
        }

        if (current.LnurlMode == LnurlModes.Error)
        {
            return Error("The sandbox LNURL service refuses this payment (lnurl_mode=error).");
        }

        var metadata = Metadata(wallet, host);
        var hashed = current.LnurlMode == LnurlModes.WrongHash ? metadata + " (tampered)" : metadata;
        var invoiceAmount = current.LnurlMode == LnurlModes.WrongAmount ? amountMsat + 1000 : amountMsat;
        DateTimeOffset? createdAt = current.LnurlMode == LnurlModes.Expired ? clock.GetUtcNow().AddHours(-2) : null;
        var extra = new JsonObject
        {
            ["tag"] = "lnurlp",
            ["link"] = wallet.LightningUser,
            ["extra"] = amountMsat.ToString(CultureInfo.InvariantCulture),
            ["lnaddress"] = $"{wallet.LightningUser}@{host}",
        };
        if (!string.IsNullOrEmpty(comment))
        {
            extra["comment"] = comment;
        }

        PaymentView payment = invoices.Issue(
            wallet,
            invoiceAmount,
            $"Payment to {wallet.Name}",
            current.LnurlMode == LnurlModes.NoHash ? null : SHA256.HashData(Encoding.UTF8.GetBytes(hashed)),
            InvoiceService.DefaultExpirySeconds,
            extra,
            tag: "lnurlp",
            createdAt: createdAt);
        return new JsonObject
        {
            ["pr"] = payment.Bolt11,
            ["successAction"] = new JsonObject { ["tag"] = "message", ["message"] = $"Thanks! {wallet.Name} received your payment." },
            ["routes"] = new JsonArray(),
        };
    }

    private static JsonObject Error(string reason) => new() { ["status"] = "ERROR", ["reason"] = reason };
}
