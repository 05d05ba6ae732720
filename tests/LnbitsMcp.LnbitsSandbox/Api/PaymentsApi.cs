using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Auth;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Invoices;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Lnurl;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>The <c>/api/v1/payments</c> routes of lnbits/core/views/payment_api.py.</summary>
internal static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/v1/payments");
        payments.MapPost("", CreateOrPayAsync);
        payments.MapGet("", ListPayments);
        payments.MapGet("/paginated", ListPaymentsPaginated);
        payments.MapGet("/fee-reserve", GetFeeReserve);
        payments.MapPost("/decode", DecodeAsync);
        payments.MapGet("/{paymentHash}", GetPaymentStatus);
        return app;
    }

    private static async Task<IResult> CreateOrPayAsync(
        HttpRequest request,
        WalletKeyAuth auth,
        InvoiceService invoices,
        PayService payer,
        ExchangeRates rates,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var access = auth.RequireInvoiceKey(request);
        var model = new BodyModel(body);
        var unit = model.Str("unit") ?? "sat";
        if (unit != "sat" && !rates.Allowed().Contains(unit, StringComparer.Ordinal))
        {
            model.AddIssue("unit", "The provided unit is not supported", "value_error");
        }

        model.Bool("internal");
        var outgoing = model.Bool("out") ?? true;
        var amount = model.Float("amount", minimum: 0);
        var memo = model.Str("memo", maxLength: 640);
        var descriptionHash = model.Str("description_hash");
        var unhashed = model.Str("unhashed_description");
        var paymentHash = model.Str("payment_hash", minLength: 64, maxLength: 64);
        if (paymentHash is not null && !IsHex(paymentHash))
        {
            model.AddIssue("payment_hash", "non-hexadecimal number found in fromhex() arg", "value_error");
        }

        var expiry = model.Int("expiry");
        var extra = model.Dict("extra");
        var webhook = model.Str("webhook");
        var bolt11 = model.Str("bolt11");
        model.Dict("lnurl_withdraw");
        var fiatProvider = model.Str("fiat_provider");
        var labels = model.StrList("labels") ?? [];
        model.ThrowIfInvalid();

        if (outgoing && access.IsAdmin)
        {
            if (string.IsNullOrEmpty(bolt11))
            {
                throw ApiException.BadRequest("Missing BOLT11 invoice");
            }

            return ApiResults.Payment(payer.Pay(access.Wallet, bolt11, extra, labels), StatusCodes.Status201Created);
        }

        if (outgoing)
        {
            throw ApiException.Forbidden("Invoice (or Admin) key required.");
        }

        var invoice = invoices.Create(access.Wallet, new InvoiceRequest
        {
            Amount = amount,
            Unit = unit,
            Memo = memo,
            DescriptionHash = descriptionHash,
            UnhashedDescription = unhashed,
            Expiry = expiry,
            Extra = extra,
            Webhook = webhook,
            PaymentHash = paymentHash,
            FiatProvider = fiatProvider,
            Labels = labels,
        });
        return ApiResults.Payment(invoice, StatusCodes.Status201Created);
    }

    private static IResult ListPayments(HttpRequest request, WalletKeyAuth auth, SandboxLedger ledger)
    {
        var access = auth.RequireInvoiceKey(request);
        var query = PaymentQuery.Parse(request.Query);
        var payments = ledger.Locked(l =>
        {
            var rows = l.Payments.Where(p => p.WalletId == access.Wallet.Id && (p.IsSuccess || p.IsPending));
            return query.Page(query.Order(query.Where(rows), "time", "desc")).Select(PaymentView.From).ToList();
        });
        return TypedResults.Json(payments, SandboxJson.Api.ListPaymentView);
    }

    private static IResult ListPaymentsPaginated(HttpRequest request, WalletKeyAuth auth, SandboxLedger ledger)
    {
        var access = auth.RequireInvoiceKey(request);
        var query = new QueryModel(request.Query);
        query.Bool("recheck_pending");
        query.ThrowIfInvalid();
        var filters = PaymentQuery.Parse(request.Query);
        var page = ledger.Locked(l =>
        {
            var matching = filters.Where(l.Payments.Where(p => p.WalletId == access.Wallet.Id)).ToList();
            var data = filters.Page(filters.Order(matching, null, "asc")).Select(PaymentView.From).ToList();

            // Connection.fetch_page (lnbits/db.py lines 258–278) counts only when the page has rows: an empty page
            // (e.g. an offset past the end) answers total 0.
            return new PaymentPage(data, data.Count == 0 ? 0 : matching.Count);
        });
        return TypedResults.Json(page, SandboxJson.Api.PaymentPage);
    }

    private static IResult GetFeeReserve(HttpRequest request)
    {
        var invoiceText = new QueryModel(request.Query).Str("invoice") ?? "invoice";
        var invoice = Bolt11Decoder.Decode(invoiceText);
        if (invoice.AmountMsat is not > 0)
        {
            throw ApiException.BadRequest("Invoice has no amount.");
        }

        return ApiResults.Json(new JsonObject { ["fee_reserve"] = FeeReserve.ForAmount(invoice.AmountMsat.Value) });
    }

    private static async Task<IResult> DecodeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var model = new BodyModel(await JsonBody.ReadAsync(request, cancellationToken));
        var data = model.Str("data", required: true);
        var fields = model.StrList("filter_fields");
        model.ThrowIfInvalid();

        if (data!.StartsWith("LNURL", StringComparison.Ordinal))
        {
            return LnurlCodec.TryDecode(data, out var url)
                ? ApiResults.Json(new JsonObject { ["domain"] = url })
                : DecodeFailure("Invalid LNURL");
        }

        try
        {
            return ApiResults.Json(DecodeView.Filter(DecodeView.From(Bolt11Decoder.Decode(data)), fields));
        }
        catch (Bolt11DecodeException exception)
        {
            return DecodeFailure(exception.Message);
        }
    }

    private static IResult DecodeFailure(string reason) =>
        ApiResults.Json(new JsonObject { ["message"] = $"Failed to decode: {reason}" }, StatusCodes.Status400BadRequest);

    private static IResult GetPaymentStatus(string paymentHash, HttpRequest request, WalletKeyAuth auth, SandboxLedger ledger)
    {
        var wallet = auth.TryHeaderKey(request)?.Wallet;
        var body = ledger.Locked(l =>
        {
            var payment = l.FindStandalone(paymentHash, wallet?.Id)
                ?? throw ApiException.NotFound("Payment does not exist.");
            var owner = wallet is not null && wallet.Id == payment.WalletId;
            var result = new JsonObject { ["paid"] = payment.IsSuccess };
            if (payment.IsSuccess)
            {
                result["preimage"] = payment.Preimage;
            }
            else if (payment.Status == PaymentStatusText.Failed)
            {
                result["status"] = PaymentStatusText.Failed;
            }
            else
            {
                if (owner)
                {
                    result["status"] = payment.Status;
                }

                result["preimage"] = payment.Preimage;
            }

            if (owner)
            {
                result["details"] = System.Text.Json.JsonSerializer.SerializeToNode(PaymentView.From(payment), SandboxJson.Api.PaymentView);
            }

            return result;
        });
        return ApiResults.Json(body);
    }

    private static bool IsHex(string text) => text.All(Uri.IsHexDigit);
}
