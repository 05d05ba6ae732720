using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Auth;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Lnurl;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Settings;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>LNURL-pay: the service side (<c>/.well-known/lnurlp/{user}</c> and its callback) and the payer side
/// (<c>POST /api/v1/payments/lnurl</c>, current or legacy body per <c>lnurl_api</c>).</summary>
internal static class LnurlApi
{
    public static IEndpointRouteBuilder MapLnurlApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/lnurlp/{user}", GetPayRequest);
        app.MapGet(LnurlServer.CallbackPath + "{user}", GetInvoice);
        app.MapPost("/api/v1/payments/lnurl", PayLnurlAsync);
        return app;
    }

    private static IResult GetPayRequest(string user, HttpRequest request, SandboxLedger ledger, LnurlServer server)
    {
        var wallet = ledger.Locked(l => l.FindByLightningUser(user)) ?? throw ApiException.BadRequest("User not found");
        return TypedResults.Json(server.PayRequest(wallet, request.Scheme, request.Host.Value ?? "localhost"), SandboxJson.Api.LnurlPayRequest);
    }

    private static IResult GetInvoice(string user, HttpRequest request, SandboxLedger ledger, LnurlServer server)
    {
        var query = new QueryModel(request.Query);
        var amount = query.Int("amount", required: true);
        var comment = query.Str("comment");
        query.ThrowIfInvalid();
        var wallet = ledger.Locked(l => l.FindByLightningUser(user)) ?? throw ApiException.NotFound("Pay link does not exist.");
        return ApiResults.Json(server.Callback(wallet, request.Host.Value ?? "localhost", amount!.Value, comment));
    }

    private static async Task<IResult> PayLnurlAsync(
        HttpRequest request,
        SettingsStore settings,
        WalletKeyAuth auth,
        LnurlPayer payer,
        LegacyLnurlPayer legacyPayer,
        PayService payService,
        ExchangeRates rates,
        CancellationToken cancellationToken)
    {
        var mode = settings.Current.LnurlApi;
        if (mode == LnurlApiModes.Absent)
        {
            throw ApiException.NotFound("Not Found");
        }

        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var access = auth.RequireAdminKey(request);
        try
        {
            return mode == LnurlApiModes.Legacy
                ? await PayLegacyAsync(new BodyModel(body), access, legacyPayer, payService, rates, cancellationToken)
                : await PayCurrentAsync(new BodyModel(body), access, payer, payService, rates, cancellationToken);
        }
        catch (LnurlException exception)
        {
            throw ApiException.BadRequest(exception.Message);
        }
    }

    private static async Task<IResult> PayCurrentAsync(
        BodyModel model,
        WalletAccess access,
        LnurlPayer payer,
        PayService payService,
        ExchangeRates rates,
        CancellationToken cancellationToken)
    {
        var res = model.Dict("res");
        var lnurl = model.Str("lnurl");
        Uri? target = null;
        if (lnurl is not null && !LnurlTarget.TryResolve(lnurl, out target))
        {
            model.AddIssue("lnurl", "invalid lnurl or lightning address", "value_error");
        }

        var amount = model.Int("amount", required: true);
        var comment = model.Str("comment");
        var unit = model.Str("unit");
        model.Str("internal_memo");
        model.ThrowIfInvalid();

        if (res is null && target is null)
        {
            throw ApiException.BadRequest("Missing LNURL or LnurlPayResponse data.");
        }

        var payRequest = res is not null ? PayRequestData.Parse(res) : await payer.FetchPayRequestAsync(target!, cancellationToken);
        var amountMsat = unit is null or "sat" ? amount!.Value : FiatMsat(rates, amount!.Value, unit);
        var (bolt11, response) = await payer.ExecuteAsync(payRequest, amountMsat, comment, cancellationToken);

        var extra = new JsonObject();
        if (response["disposable"] is JsonValue disposable && disposable.TryGetValue<bool>(out var isDisposable) && !isDisposable)
        {
            extra["stored"] = true;
        }

        if (response["successAction"] is JsonObject successAction)
        {
            extra["success_action"] = successAction.ToJsonString();
        }

        if (!string.IsNullOrEmpty(comment))
        {
            extra["comment"] = comment;
        }

        if (unit is not null and not "sat")
        {
            extra["fiat_currency"] = unit;
            extra["fiat_amount"] = amount!.Value / 1000.0;
        }

        return ApiResults.Payment(payService.Pay(access.Wallet, bolt11, extra, description: payRequest.Text));
    }

    private static async Task<IResult> PayLegacyAsync(
        BodyModel model,
        WalletAccess access,
        LegacyLnurlPayer payer,
        PayService payService,
        ExchangeRates rates,
        CancellationToken cancellationToken)
    {
        model.Str("description_hash", required: true);
        var callback = model.Str("callback", required: true);
        var amount = model.Int("amount", required: true);
        var comment = model.Str("comment");
        var description = model.Str("description");
        var unit = model.Str("unit");
        var internalMemo = model.Str("internal_memo");
        model.ThrowIfInvalid();

        if (!Uri.TryCreate(callback, UriKind.Absolute, out var callbackUrl) || callbackUrl.Scheme is not ("http" or "https"))
        {
            throw ApiException.BadRequest($"Failed to connect to {callback}.");
        }

        // Pre-1.3 LNbits converted fiat to sats and then treated them as msat (ceil(x // 1000) * 1000); kept as is.
        var amountMsat = unit is null or "sat" ? amount!.Value : rates.FiatAsSats(amount!.Value, unit) / 1000 * 1000;
        var (bolt11, response) = await payer.RequestInvoiceAsync(callbackUrl, amountMsat, comment, cancellationToken);
        var extra = new JsonObject();
        if (response["successAction"] is JsonObject successAction)
        {
            extra["success_action"] = successAction.DeepClone();
        }

        if (!string.IsNullOrEmpty(comment))
        {
            extra["comment"] = comment;
        }

        if (internalMemo is not null)
        {
            if (internalMemo.Length > 512)
            {
                throw ApiException.BadRequest("Internal memo must be 512 characters or less.");
            }

            extra["internal_memo"] = internalMemo;
        }

        if (description is null)
        {
            throw ApiException.BadRequest("Description is required");
        }

        return ApiResults.Payment(payService.Pay(access.Wallet, bolt11, extra, description: description));
    }

    /// <summary>LNbits' <c>fetch_lnurl_pay_request</c> (lnbits/core/services/lnurl.py lines 94–98): the fiat amount
    /// arrives × 1000, is shifted back with <c>round(amount / 1000, 2)</c>, converted with <c>fiat_amount_as_satoshis</c>
    /// and multiplied by 1000 again.</summary>
    private static long FiatMsat(ExchangeRates rates, long amountTimes1000, string unit) =>
        rates.FiatAsSats(FiatAmounts.PythonRound(amountTimes1000 / 1000.0, 2), unit) * 1000;
}
