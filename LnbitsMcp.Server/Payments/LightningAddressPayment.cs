using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// <c>pay_lightning_address</c>: the address is resolved (LNURL-pay) and the amount, comment and payer data
/// checked against its rules; after the dry run or the confirmation, the invoice it returns is paid only when
/// its amount, description hash, expiry and network match (<c>verify</c>), or LNbits runs the flow itself
/// (<c>lnbits</c>, falling back to <c>verify</c> on an LNbits without it).
/// </summary>
public sealed class LightningAddressPayment(
    PaymentChecks checks,
    PaymentDryRun dryRun,
    PaymentConfirmation confirmation,
    PaymentSender sender,
    PaymentAudit audit,
    LnbitsClientFactory clients,
    LnurlClient lnurl,
    LnbitsCurrencies currencies,
    PayeePolicy payees,
    IOptions<PaymentOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// The amount as the tool takes it: <paramref name="amountSats"/>, or <paramref name="amount"/> in
    /// <paramref name="currency"/> (a fiat code LNbits converts; <c>sat</c> or none = whole sats). A fiat amount is
    /// converted by the wallet's LNbits first; limits and the LNURL range are checked on the sats it gives.
    /// </summary>
    public async Task<PaymentResult> PayAsync(PaymentCall call, string addressText, long? amountSats, double? amount, string? currency, string? comment, CancellationToken cancellationToken)
    {
        var fiat = currency is not null && !string.Equals(currency.Trim(), "sat", StringComparison.OrdinalIgnoreCase);
        if (!fiat)
        {
            var sats = (amountSats, amount) switch
            {
                ({ } given, null) => given,
                (null, { } whole) when whole >= 1 && whole == Math.Floor(whole) && whole <= long.MaxValue / 1000 => (long)whole,
                (null, null) => throw ToolException.InvalidArgument("Give amount_sats, or amount with a currency (e.g. 2.50 and USD)."),
                (null, _) => throw ToolException.InvalidArgument("Without a currency, amount must be a whole number of sats (at least 1)."),
                _ => throw ToolException.InvalidArgument("Give either amount_sats or amount, not both."),
            };
            return await PayAsync(call, addressText, sats, comment, cancellationToken);
        }

        if (amountSats is not null || amount is null)
        {
            throw ToolException.InvalidArgument("With a currency, give the amount in it as amount (not amount_sats).");
        }

        var quote = await FiatQuote.ConvertAsync(clients.Create(call.Connection.Settings), currencies, amount.Value, currency!, cancellationToken);
        var result = await PayAsync(call, addressText, quote.Sats, comment, cancellationToken);
        return result with { AmountMsat = quote.AmountMsat, FiatCurrency = quote.Currency, FiatAmount = quote.Amount, FiatRate = quote.Rate };
    }

    public async Task<PaymentResult> PayAsync(PaymentCall call, string addressText, long amountSats, string? comment, CancellationToken cancellationToken)
    {
        if (!LightningAddress.TryParse(addressText, out var address, out var addressError))
        {
            throw ToolException.InvalidArgument($"lightning_address is not a Lightning Address (user@domain): {addressError}");
        }

        var amountMsat = checked(amountSats * 1000);
        payees.Check(call, PayeeKind.Address, address.ToString(), amountMsat);
        var limits = checks.CheckPayable(call, amountMsat);
        var payRequest = await lnurl.FetchPayRequestAsync(lnurl.WellKnownUri(address), cancellationToken);
        if ((LnurlPayRules.CheckAmount(payRequest, amountMsat) ?? LnurlPayRules.CheckComment(payRequest, comment) ?? LnurlPayRules.CheckPayerData(payRequest)) is { } problem)
        {
            audit.Refused(call, ToolErrorCodes.LnurlError, amountMsat);
            throw new ToolException(ToolErrorCodes.LnurlError, $"{address} cannot take this payment: {problem}");
        }

        var intent = new PaymentIntent($"address:{address}:{amountMsat}:{comment}", null, amountMsat, address.ToString(), payRequest.Description);
        if (call.DryRun)
        {
            return await dryRun.ReportAsync(call, intent, limits, cancellationToken);
        }

        await confirmation.ConfirmAsync(call, intent, limits, cancellationToken);
        var client = clients.Create(call.Connection.Settings);
        if (options.Value.LightningAddressFlow == "lnbits")
        {
            var viaLnbits = await TrySendThroughLnbitsAsync(call, client, address, amountMsat, comment, limits, cancellationToken);
            if (viaLnbits is not null)
            {
                return viaLnbits with { Payee = address.ToString(), Memo = payRequest.Description };
            }
        }

        var offer = await lnurl.RequestInvoiceAsync(payRequest, amountMsat, comment, cancellationToken);
        if (!Bolt11Decoder.TryDecode(offer.PaymentRequest, out var invoice, out var decodeError))
        {
            audit.Refused(call, ToolErrorCodes.LnurlError, amountMsat);
            throw new ToolException(ToolErrorCodes.LnurlError, $"{address} returned an invalid invoice: {decodeError}");
        }

        var check = LnurlPayRules.ValidateInvoice(invoice, amountMsat, payRequest.Metadata, checks.Network, time.GetUtcNow(), requireDescriptionHash: true);
        if (!check.IsValid)
        {
            var code = check.Problem switch
            {
                LnurlInvoiceProblem.Expired => ToolErrorCodes.InvoiceExpired,
                LnurlInvoiceProblem.Amountless => ToolErrorCodes.AmountlessInvoice,
                _ => ToolErrorCodes.LnurlError,
            };
            audit.Refused(call, code, amountMsat);
            throw new ToolException(code, $"{address} returned an invoice that must not be paid: {check.Error}. Nothing was paid.");
        }

        var result = await sender.SendAsync(call, invoice.PaymentHash, amountMsat, limits, () => client.PayInvoiceAsync(invoice.Bolt11, cancellationToken), cancellationToken);
        return result with
        {
            Payee = address.ToString(),
            Memo = payRequest.Description,
            SuccessAction = result.Status == PaymentStatuses.Success ? Describe(offer.SuccessAction, result.Preimage) : null,
        };
    }

    /// <summary>LNbits 1.3+ runs the LNURL flow (<c>POST /api/v1/payments/lnurl</c>); null when this LNbits predates it.</summary>
    private async Task<PaymentResult?> TrySendThroughLnbitsAsync(PaymentCall call, LnbitsClient client, LightningAddress address, long amountMsat, string? comment, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var reservation = await sender.ReserveAsync(call, null, amountMsat, limits, cancellationToken);
        LnbitsPayment? payment;
        try
        {
            payment = await client.PayLnurlAsync(address.ToString(), amountMsat, comment, cancellationToken);
        }
        catch (LnbitsApiException error) when (error.OutcomeUnknown || error.PaymentStatus is PaymentStatuses.Pending or PaymentStatuses.Success)
        {
            throw;
        }
        catch (ToolException)
        {
            await sender.ReleaseAsync(reservation);
            throw;
        }

        if (payment is null)
        {
            // This LNbits predates /api/v1/payments/lnurl: run the flow here instead.
            await sender.ReleaseAsync(reservation);
            return null;
        }

        var (status, fee, preimage) = await sender.SettleAsync(call, reservation, payment, cancellationToken);
        audit.Record(call, status, amountMsat / 1000, "via lnbits");
        return new PaymentResult
        {
            PaymentHash = payment.PaymentHash,
            Status = status,
            AmountSat = amountMsat / 1000,
            FeeMsat = fee,
            Preimage = status == PaymentStatuses.Success ? preimage : null,
            SuccessAction = payment.SuccessAction is { } action ? new SuccessActionResult("lnbits", action, null, null) : null,
        };
    }

    private static SuccessActionResult? Describe(SuccessAction? action, string? preimage)
    {
        if (action is null)
        {
            return null;
        }

        var message = action.Message;
        if (action.Tag == "aes" && preimage is not null && action.TryDecrypt(preimage, out var plaintext, out _))
        {
            message = plaintext;
        }

        return new SuccessActionResult(action.Tag, message, action.Description, action.Url?.AbsoluteUri);
    }
}
