using System.Globalization;
using System.Text.Json;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Everything between "pay this" and LNbits: the invoice is decoded and refused when invalid,
/// expired, amountless, of another network or over the limits; read-only sessions never pay;
/// larger payments need the user's confirmation; the hash and the budget are reserved atomically
/// before the single payment POST, released when the payment failed, and kept when its outcome is
/// unknown; a pending payment is polled briefly before answering. Budgets and paid hashes are kept per
/// wallet (the operator's limits over every session of it), with each session's own limits on top.
/// </summary>
public sealed class PaymentService(
    LnbitsClientFactory clients,
    LnurlClient lnurl,
    IPaymentLedger ledger,
    IConfirmationTokens confirmationTokens,
    PaymentAudit audit,
    IOptions<PaymentOptions> options,
    TimeProvider time)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    private PaymentOptions Options => options.Value;

    private LightningNetwork Network =>
        LightningNetworks.TryParseName(Options.Network, out var network) ? network : LightningNetwork.Bitcoin;

    public async Task<PaymentResult> PayInvoiceAsync(PaymentCall call, string bolt11, CancellationToken cancellationToken)
    {
        var invoice = DecodeForPayment(call, bolt11);
        var amountMsat = invoice.AmountMsat!.Value;
        var limits = CheckPayable(call, amountMsat);
        var subject = "invoice:" + invoice.PaymentHash;
        if (call.DryRun)
        {
            return await DryRunAsync(call, invoice.PaymentHash, amountMsat, invoice.Payee, invoice.Description, limits, cancellationToken);
        }

        await ConfirmAsync(call, subject, amountMsat, $"node {invoice.Payee[..16]}…", invoice.Description, limits, cancellationToken);
        var client = clients.Create(call.Connection.Settings);
        return await SendAsync(call, invoice.PaymentHash, amountMsat, limits, () => client.PayInvoiceAsync(invoice.Bolt11, cancellationToken), cancellationToken);
    }

    public async Task<PaymentResult> PayLightningAddressAsync(PaymentCall call, string addressText, long amountSats, string? comment, CancellationToken cancellationToken)
    {
        if (!LightningAddress.TryParse(addressText, out var address, out var addressError))
        {
            throw ToolException.InvalidArgument($"lightning_address is not a Lightning Address (user@domain): {addressError}");
        }

        var amountMsat = checked(amountSats * 1000);
        var limits = CheckPayable(call, amountMsat);
        var payRequest = await lnurl.FetchPayRequestAsync(lnurl.WellKnownUri(address), cancellationToken);
        if ((LnurlPayRules.CheckAmount(payRequest, amountMsat) ?? LnurlPayRules.CheckComment(payRequest, comment) ?? LnurlPayRules.CheckPayerData(payRequest)) is { } problem)
        {
            Refused(call, ToolErrorCodes.LnurlError, amountMsat);
            throw new ToolException(ToolErrorCodes.LnurlError, $"{address} cannot take this payment: {problem}");
        }

        var subject = $"address:{address}:{amountMsat}:{comment}";
        if (call.DryRun)
        {
            return await DryRunAsync(call, null, amountMsat, address.ToString(), payRequest.Description, limits, cancellationToken);
        }

        await ConfirmAsync(call, subject, amountMsat, address.ToString(), payRequest.Description, limits, cancellationToken);
        var client = clients.Create(call.Connection.Settings);
        if (Options.LightningAddressFlow == "lnbits")
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
            Refused(call, ToolErrorCodes.LnurlError, amountMsat);
            throw new ToolException(ToolErrorCodes.LnurlError, $"{address} returned an invalid invoice: {decodeError}");
        }

        var check = LnurlPayRules.ValidateInvoice(invoice, amountMsat, payRequest.Metadata, Network, time.GetUtcNow(), requireDescriptionHash: true);
        if (!check.IsValid)
        {
            var code = check.Problem switch
            {
                LnurlInvoiceProblem.Expired => ToolErrorCodes.InvoiceExpired,
                LnurlInvoiceProblem.Amountless => ToolErrorCodes.AmountlessInvoice,
                _ => ToolErrorCodes.LnurlError,
            };
            Refused(call, code, amountMsat);
            throw new ToolException(code, $"{address} returned an invoice that must not be paid: {check.Error}. Nothing was paid.");
        }

        var result = await SendAsync(call, invoice.PaymentHash, amountMsat, limits, () => client.PayInvoiceAsync(invoice.Bolt11, cancellationToken), cancellationToken);
        return result with
        {
            Payee = address.ToString(),
            Memo = payRequest.Description,
            SuccessAction = result.Status == PaymentStatuses.Success ? Describe(offer.SuccessAction, result.Preimage) : null,
        };
    }

    private Bolt11Invoice DecodeForPayment(PaymentCall call, string bolt11)
    {
        if (!Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error))
        {
            Refused(call, ToolErrorCodes.InvalidInvoice, 0);
            throw new ToolException(ToolErrorCodes.InvalidInvoice, $"This is not a valid BOLT11 invoice: {error}. Nothing was paid.");
        }

        string? code = null;
        string? message = null;
        if (!invoice.SignatureValid)
        {
            (code, message) = (ToolErrorCodes.InvalidInvoice, "The invoice's signature does not match its payee (n field): it was altered.");
        }
        else if (invoice.Network != Network)
        {
            (code, message) = (ToolErrorCodes.InvalidInvoice, $"The invoice is for {invoice.Network.ToName()}; this wallet pays on {Network.ToName()}.");
        }
        else if (invoice.AmountMsat is null)
        {
            (code, message) = (ToolErrorCodes.AmountlessInvoice, "The invoice has no amount; LNbits cannot pay amountless invoices. Ask the payee for an invoice with an amount.");
        }
        else if (invoice.IsExpired(time.GetUtcNow()))
        {
            (code, message) = (ToolErrorCodes.InvoiceExpired, $"The invoice expired at {invoice.ExpiresAt:u}. Ask the payee for a new one.");
        }

        if (code is not null)
        {
            Refused(call, code, invoice.AmountMsat ?? 0);
            throw new ToolException(code, message + " Nothing was paid.");
        }

        return invoice;
    }

    /// <summary>Read-only sessions and the per-payment limit, before any LNbits call.</summary>
    private PaymentLimits CheckPayable(PaymentCall call, long amountMsat)
    {
        if (call.Connection.Settings.KeyType == KeyType.Invoice)
        {
            Refused(call, ToolErrorCodes.ReadOnlySession, amountMsat);
            throw new ToolException(ToolErrorCodes.ReadOnlySession,
                "This session is read-only: it was configured with an invoice key, which cannot pay. Configure an admin key to pay.");
        }

        var limits = PaymentLimits.For(Options, call.Connection.Session?.Limits);
        var amountSat = SatsCeiling(amountMsat);
        if (amountSat > limits.MaxPaymentSats)
        {
            Refused(call, ToolErrorCodes.LimitExceeded, amountMsat);
            throw new ToolException(ToolErrorCodes.LimitExceeded,
                string.Create(CultureInfo.InvariantCulture, $"{amountSat} sats is over the limit of {limits.MaxPaymentSats} sats per payment. Nothing was paid."),
                new Dictionary<string, object?> { ["limit"] = "max_payment_sats", ["max_payment_sats"] = limits.MaxPaymentSats, ["requested_sats"] = amountSat });
        }

        return limits;
    }

    private async Task ConfirmAsync(PaymentCall call, string subject, long amountMsat, string payee, string? memo, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var amountSat = SatsCeiling(amountMsat);
        if (amountSat <= limits.ConfirmAboveSats)
        {
            return;
        }

        var ledgerKey = call.Connection.LedgerKey;
        if (call.ConfirmationToken is { Length: > 0 } token)
        {
            if (await confirmationTokens.RedeemAsync(token, ledgerKey, subject, cancellationToken))
            {
                audit.Record(call.Tool, call.SessionHint, "confirmed_by_token", amountSat);
                return;
            }

            Refused(call, ToolErrorCodes.ConfirmationRequired, amountMsat);
            throw new ToolException(ToolErrorCodes.ConfirmationRequired,
                "The confirmation_token is invalid, expired, already used, or for another payment. Call again without it to get a new one after the user confirms.");
        }

        if (call.Server.ClientCapabilities?.Elicitation is not null)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Pay {amountSat} sats to {payee}{(string.IsNullOrWhiteSpace(memo) ? string.Empty : $" for \"{memo}\"")}? This spends real money from your LNbits wallet.");
            var answer = await call.Server.ElicitAsync(new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["confirm"] = new ElicitRequestParams.BooleanSchema { Title = "Pay", Description = message, Default = false },
                    },
                    Required = ["confirm"],
                },
            }, cancellationToken);
            if (answer.IsAccepted && answer.Content is { } content && content.TryGetValue("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True)
            {
                audit.Record(call.Tool, call.SessionHint, "confirmed", amountSat);
                return;
            }

            audit.Record(call.Tool, call.SessionHint, "declined", amountSat);
            throw new ToolException(ToolErrorCodes.ConfirmationDeclined, "The user declined the payment. Nothing was paid.");
        }

        var issued = await confirmationTokens.IssueAsync(ledgerKey, subject, Options.ConfirmationTokenLifetime, cancellationToken);
        audit.Record(call.Tool, call.SessionHint, "confirmation_required", amountSat);
        throw new ToolException(ToolErrorCodes.ConfirmationRequired,
            string.Create(CultureInfo.InvariantCulture,
                $"Payments over {limits.ConfirmAboveSats} sats need the user's confirmation. Show the user: {amountSat} sats to {payee}{(string.IsNullOrWhiteSpace(memo) ? string.Empty : $" ({memo})")}. Only if they agree, call again with confirmation_token (valid {Options.ConfirmationTokenLifetime.TotalSeconds:F0} s, once)."),
            new Dictionary<string, object?>
            {
                ["confirmation_token"] = issued,
                ["expires_in_seconds"] = (long)Options.ConfirmationTokenLifetime.TotalSeconds,
                ["amount_sat"] = amountSat,
                ["payee"] = payee,
                ["memo"] = memo,
            });
    }

    private async Task<PaymentResult> SendAsync(PaymentCall call, string paymentHash, long amountMsat, PaymentLimits limits, Func<Task<LnbitsPayment>> pay, CancellationToken cancellationToken)
    {
        var reservation = await ReserveAsync(call, paymentHash, amountMsat, limits, cancellationToken);
        var amountSat = amountMsat / 1000;
        LnbitsPayment payment;
        try
        {
            payment = await pay();
        }
        catch (LnbitsApiException error) when (error.OutcomeUnknown)
        {
            audit.Record(call.Tool, call.SessionHint, "unknown", amountSat, error.Code);
            throw new ToolException(ToolErrorCodes.LnbitsUnreachable,
                $"{error.Message}. The payment may or may not have been made: check get_payment_status with payment_hash {paymentHash} before doing anything else. It will not be sent again from this wallet.");
        }
        catch (LnbitsApiException error) when (error.PaymentStatus is PaymentStatuses.Pending or PaymentStatuses.Success || error.Code == ToolErrorCodes.AlreadyPaid)
        {
            audit.Record(call.Tool, call.SessionHint, "refused:" + error.Code, amountSat);
            throw;
        }
        catch (ToolException error)
        {
            // Nothing was paid (LNbits refused, or the request never left): hash and budget are free again.
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
            audit.Record(call.Tool, call.SessionHint, "failed:" + error.Code, amountSat);
            throw;
        }

        var status = payment.Status;
        var fee = payment.FeeMsat;
        var preimage = payment.Preimage;
        if (status == PaymentStatuses.Pending)
        {
            (status, fee, preimage) = await PollAsync(call, paymentHash, fee, cancellationToken);
        }

        if (status == PaymentStatuses.Failed)
        {
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
        }

        audit.Record(call.Tool, call.SessionHint, status, amountSat);
        return new PaymentResult
        {
            PaymentHash = paymentHash,
            Status = status,
            AmountSat = amountSat,
            FeeMsat = status == PaymentStatuses.Failed ? 0 : fee,
            Preimage = status == PaymentStatuses.Success ? preimage : null,
        };
    }

    private async Task<PaymentResult?> TrySendThroughLnbitsAsync(PaymentCall call, LnbitsClient client, LightningAddress address, long amountMsat, string? comment, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var reservation = await ReserveAsync(call, null, amountMsat, limits, cancellationToken);
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
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
            throw;
        }

        if (payment is null)
        {
            // This LNbits predates /api/v1/payments/lnurl: run the flow here instead.
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
            return null;
        }

        var (status, fee, preimage) = payment.Status == PaymentStatuses.Pending
            ? await PollAsync(call, payment.PaymentHash, payment.FeeMsat, cancellationToken)
            : (payment.Status, payment.FeeMsat, payment.Preimage);
        if (status == PaymentStatuses.Failed)
        {
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
        }

        audit.Record(call.Tool, call.SessionHint, status, amountMsat / 1000, "via lnbits");
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

    private async Task<PaymentReservation> ReserveAsync(PaymentCall call, string? paymentHash, long amountMsat, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var decision = await ledger.ReserveAsync(new ReservationRequest(
            call.Connection.LedgerKey, paymentHash, amountMsat, checked(limits.DailyBudgetSats * 1000), limits.MaxPaymentsPerHour, time.GetUtcNow())
        {
            WalletKey = await WalletLedgerKeyAsync(call, cancellationToken),
            WalletDailyBudgetMsat = checked(Options.DailyBudgetSats * 1000),
            WalletMaxPaymentsPerHour = Options.MaxPaymentsPerHour,
        }, cancellationToken);
        switch (decision)
        {
            case LedgerDecision.Reserved reserved:
                return reserved.Reservation;
            case LedgerDecision.AlreadyPaid:
                Refused(call, ToolErrorCodes.AlreadyPaid, amountMsat);
                throw new ToolException(ToolErrorCodes.AlreadyPaid,
                    $"This wallet already paid (or is paying) the invoice with payment_hash {paymentHash}. It is never paid twice; check get_payment_status.");
            case LedgerDecision.BudgetExceeded budget:
                Refused(call, ToolErrorCodes.LimitExceeded, amountMsat);
                throw new ToolException(ToolErrorCodes.LimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"This payment would pass the budget of {limits.DailyBudgetSats} sats per 24 hours (kept per wallet, over every session): {budget.LeftMsat / 1000} sats are left. Nothing was paid."),
                    new Dictionary<string, object?>
                    {
                        ["limit"] = "daily_budget_sats",
                        ["daily_budget_sats"] = limits.DailyBudgetSats,
                        ["spent_sats"] = budget.SpentMsat / 1000,
                        ["left_sats"] = budget.LeftMsat / 1000,
                    });
            default:
                Refused(call, ToolErrorCodes.LimitExceeded, amountMsat);
                throw new ToolException(ToolErrorCodes.LimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"This wallet (or this session, under its own limit) already made the most payments allowed in the last hour ({limits.MaxPaymentsPerHour}). Nothing was paid."),
                    new Dictionary<string, object?> { ["limit"] = "max_payments_per_hour", ["max_payments_per_hour"] = limits.MaxPaymentsPerHour, ["left"] = 0 });
        }
    }

    /// <summary>
    /// The wallet a payment spends from, for the operator's limits and the paid hashes: the LNbits URL and
    /// the wallet's key (the same for a session, header credentials or a token method that reads it), hashed.
    /// </summary>
    private Task<string> WalletLedgerKeyAsync(PaymentCall call, CancellationToken cancellationToken) =>
        WalletLedgerKeyAsync(call.Connection.Settings, cancellationToken);

    /// <summary>The wallet ledger key of these settings (also read by the connections page).</summary>
    public async Task<string> WalletLedgerKeyAsync(LnbitsSettings settings, CancellationToken cancellationToken)
    {
        var walletKey = await clients.Create(settings).WalletKeyAsync(cancellationToken);
        var material = settings.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "\n" + walletKey.Key.Reveal();
        return "wallet:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material)));
    }

    private async Task<(string Status, long FeeMsat, string? Preimage)> PollAsync(PaymentCall call, string paymentHash, long feeMsat, CancellationToken cancellationToken)
    {
        var client = clients.Create(call.Connection.Settings);
        var deadline = time.GetUtcNow() + Options.PendingPollTime;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(s_pollInterval, time, cancellationToken);
            try
            {
                var status = await client.GetPaymentStatusAsync(paymentHash, cancellationToken);
                if (status.Status != PaymentStatuses.Pending)
                {
                    return (status.Status, status.Details?.FeeMsat ?? feeMsat, status.Preimage);
                }
            }
            catch (ToolException)
            {
                // Keep polling until the deadline; the answer then says pending.
            }
        }

        return (PaymentStatuses.Pending, feeMsat, null);
    }

    private async Task<PaymentResult> DryRunAsync(PaymentCall call, string? paymentHash, long amountMsat, string payee, string? memo, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var walletKey = await WalletLedgerKeyAsync(call, cancellationToken);
        var usage = await ledger.GetUsageAsync(walletKey, call.Connection.LedgerKey, now, cancellationToken);
        var budgetLeftSats = Math.Max(0, Math.Min(
            Options.DailyBudgetSats - (usage.Wallet.SpentLast24HoursMsat / 1000),
            limits.DailyBudgetSats - (usage.Caller.SpentLast24HoursMsat / 1000)));
        var paymentsLeft = Math.Max(0, Math.Min(
            Options.MaxPaymentsPerHour - usage.Wallet.PaymentsLastHour,
            limits.MaxPaymentsPerHour - usage.Caller.PaymentsLastHour));
        var feeReserveMsat = Math.Max(2000, amountMsat / 100);
        long? balanceSat = null;
        var problems = new List<string>();
        try
        {
            balanceSat = (await clients.Create(call.Connection.Settings).GetWalletAsync(cancellationToken)).BalanceMsat / 1000;
        }
        catch (ToolException error)
        {
            problems.Add($"the balance could not be read ({error.Code})");
        }

        var amountSat = SatsCeiling(amountMsat);
        if (balanceSat is { } balance && balance * 1000 < amountMsat + feeReserveMsat)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"insufficient balance: {balance} sats for {amountSat} sats plus a fee reserve of {feeReserveMsat} msat"));
        }

        if (amountSat > budgetLeftSats)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"only {budgetLeftSats} sats of the 24-hour budget are left"));
        }

        if (paymentsLeft == 0)
        {
            problems.Add("no payments are left this hour");
        }

        if (paymentHash is not null && await ledger.HoldsHashAsync(walletKey, paymentHash, cancellationToken))
        {
            problems.Add("this wallet already paid this invoice");
        }

        audit.Record(call.Tool, call.SessionHint, "dry_run", amountSat);
        return new PaymentResult
        {
            PaymentHash = paymentHash,
            Status = "dry_run",
            DryRun = true,
            AmountSat = amountMsat / 1000,
            Payee = payee,
            Memo = memo,
            FeeReserveMsat = feeReserveMsat,
            BalanceSat = balanceSat,
            RequiresConfirmation = amountSat > limits.ConfirmAboveSats,
            Limits = new LimitsView(limits.MaxPaymentSats, limits.DailyBudgetSats, budgetLeftSats, paymentsLeft, limits.ConfirmAboveSats),
            Problems = problems,
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

    private void Refused(PaymentCall call, string code, long amountMsat) =>
        audit.Record(call.Tool, call.SessionHint, "refused:" + code, SatsCeiling(amountMsat));

    private static long SatsCeiling(long msat) => (msat + 999) / 1000;
}

/// <summary>One paying tool call: the wallet, the MCP server (for elicitation) and the safety switches.</summary>
public sealed record PaymentCall(string Tool, LnbitsConnection Connection, McpServer Server, string? SessionHint, bool DryRun, string? ConfirmationToken);
