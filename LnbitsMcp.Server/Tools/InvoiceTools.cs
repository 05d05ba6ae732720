using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class InvoiceTools(SessionAccess access, LnbitsClientFactory clients, LnbitsCurrencies currencies, TimeProvider time)
{
    private const int MaxMemoLength = 640;
    private const double MaxSats = 2_100_000_000_000_000;

    [McpServerTool(Title = "Decode invoice", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(DecodedInvoiceResult))]
    [Description("Decodes a BOLT11 Lightning invoice locally (no session or LNbits needed) and verifies its signature: network, " +
        "amount (msat and sats; absent for amountless invoices), description, payee node, payment hash, expiry and whether it has expired, " +
        "route hints, features and fallback addresses. Use it to show the user what an invoice asks for before paying.")]
    public CallToolResult DecodeInvoice(
        [Description("The BOLT11 invoice (lnbc…, lntb…, lnbcrt…), optionally prefixed with lightning:.")] string bolt11)
    {
        if (!Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error))
        {
            throw new ToolException(ToolErrorCodes.InvalidInvoice, $"This is not a valid BOLT11 invoice: {error}.");
        }

        return ToolResults.Success(DecodedInvoiceResult.From(invoice, time.GetUtcNow()));
    }

    [McpServerTool(Title = "Create invoice", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(CreateInvoiceResult))]
    [Description("Creates a Lightning invoice to RECEIVE sats into the configured wallet (works with an invoice key too). " +
        "The amount is in sats, or in a fiat currency (currency, e.g. USD) that LNbits converts to sats at its own exchange rate. " +
        "Returns the BOLT11 invoice, its payment hash, amount in sats and expiry (with a currency also the fiat amount and the rate used), " +
        "and a PNG QR code of the lightning: URI for the payer to scan.")]
    public async Task<CallToolResult> CreateInvoiceAsync(
        [Description("Amount to receive: whole sats (at least 1), or with currency an amount in that currency, e.g. 2.50.")] double amount,
        [Description("Optional ISO 4217 currency code of amount, e.g. USD or EUR (LNbits converts it to sats). Omit for sats.")] string? currency = null,
        [Description("Text the payer sees as the invoice description (at most 640 characters).")] string? memo = null,
        [Description("Optional 64-hex SHA-256 of a long description, put in the invoice instead of memo (LNbits then drops memo).")] string? description_hash = null,
        [Description("Seconds until the invoice expires, 60-86400. Default 3600.")][Range(60, 86_400)] int expiry = 3600,
        CancellationToken cancellationToken = default)
    {
        if (memo is { Length: > MaxMemoLength })
        {
            throw ToolException.InvalidArgument(string.Create(CultureInfo.InvariantCulture, $"memo is {memo.Length} characters; at most {MaxMemoLength}."));
        }

        var fiat = currency is not null && !string.Equals(currency.Trim(), "sat", StringComparison.OrdinalIgnoreCase);
        CheckAmount(amount, fiat);
        var hash = description_hash is null ? null : PaymentHash.Parse(description_hash, "description_hash");
        var connection = access.RequireLnbits();
        var client = clients.Create(connection.Settings);
        var unit = "sat";
        if (fiat)
        {
            unit = await currencies.RequireSupportedAsync(client, currency!, cancellationToken);
            await CheckConvertibleAsync(client, amount, unit, cancellationToken);
        }

        var payment = await client.CreateInvoiceAsync(amount, unit, memo, hash, expiry, cancellationToken);
        var bolt11 = payment.Bolt11 ?? throw new ToolException(ToolErrorCodes.LnbitsError, "LNbits created the invoice but returned no BOLT11 text.");
        var expiresAt = payment.Expiry ?? (Bolt11Decoder.TryDecode(bolt11, out var decoded, out _) ? decoded.ExpiresAt : time.GetUtcNow().AddSeconds(expiry));
        var uri = InvoiceQrCode.LightningUri(bolt11);
        var conversion = fiat ? FiatOf(payment, unit, amount) : null;
        var result = new CreateInvoiceResult(payment.PaymentHash, bolt11, payment.AmountMsat / 1000, expiresAt, uri,
            conversion?.Currency, conversion?.Amount, conversion?.Rate, conversion?.BtcPrice);
        return ToolResults.Success(result, ImageContentBlock.FromBytes(InvoiceQrCode.Png(uri), "image/png"));
    }

    private static void CheckAmount(double amount, bool fiat)
    {
        if (fiat)
        {
            Payments.FiatQuote.CheckAmount(amount);
        }
        else if (amount < 1 || amount > MaxSats || amount != Math.Floor(amount))
        {
            throw ToolException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                $"amount must be a whole number of sats from 1 to {MaxSats:0} (was {amount}); give a currency for a fiat amount."));
        }
    }

    /// <summary>
    /// Asks LNbits' rate first: LNbits truncates <c>amount × rate</c> to whole sats and, for less than one sat, fails
    /// with an unexplained server error (it divides by zero in calculate_fiat_amounts); without a rate it cannot convert.
    /// </summary>
    private static async Task CheckConvertibleAsync(LnbitsClient client, double amount, string unit, CancellationToken cancellationToken)
    {
        var rate = await client.GetRateAsync(unit, cancellationToken);
        if (!(rate.SatsPerUnit > 0))
        {
            throw new ToolException(ToolErrorCodes.LnbitsError,
                $"LNbits has no exchange rate for {unit} right now (its rate providers did not answer); try again later or give the amount in sats.");
        }

        if ((long)(amount * rate.SatsPerUnit) < 1)
        {
            throw ToolException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                $"{amount} {unit} is less than 1 sat at LNbits' rate ({rate.SatsPerUnit:0.########} sats per {unit})."));
        }
    }

    /// <summary>The conversion LNbits recorded: <c>fiat_*</c>, or <c>wallet_fiat_*</c> when the currency is the wallet's
    /// own (LNbits then writes only those), else derived from the amounts.</summary>
    private static LnbitsFiatAmount FiatOf(LnbitsPayment payment, string unit, double amount)
    {
        if (payment.Fiat is { } recorded && recorded.Currency == unit)
        {
            return recorded;
        }

        if (payment.WalletFiat is { } wallet && wallet.Currency == unit)
        {
            return wallet;
        }

        var sats = payment.AmountMsat / 1000.0;
        return new LnbitsFiatAmount(unit, amount, sats / amount, sats > 0 ? amount / sats * 100_000_000 : 0);
    }

    [McpServerTool(Title = "Wait for payment", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WaitForPaymentResult))]
    [Description("Waits until an invoice of this wallet is paid, or the timeout passes, sending progress notifications while it waits. " +
        "Use it after create_invoice when the user is paying now.")]
    public async Task<CallToolResult> WaitForPaymentAsync(
        [Description("The payment hash of the invoice (64 hexadecimal characters).")] string payment_hash,
        [Description("How long to wait, in seconds, 1-300. Default 60.")][Range(1, 300)] int timeout_seconds = 60,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var hash = PaymentHash.Parse(payment_hash);
        var client = clients.Create(access.RequireLnbits().Settings);
        var started = Stopwatch.GetTimestamp();
        var timeout = TimeSpan.FromSeconds(timeout_seconds);
        while (true)
        {
            var status = await client.GetPaymentStatusAsync(hash, cancellationToken);
            var waited = Stopwatch.GetElapsedTime(started);
            if (status.Paid || status.Status == PaymentStatuses.Failed || waited >= timeout)
            {
                return ToolResults.Success(new WaitForPaymentResult(hash, status.Paid, status.Status, Math.Round(waited.TotalSeconds, 1)));
            }

            progress?.Report(new ProgressNotificationValue
            {
                Progress = (float)waited.TotalSeconds,
                Total = timeout_seconds,
                Message = string.Create(CultureInfo.InvariantCulture, $"Waiting for payment: {waited.TotalSeconds:F0} of {timeout_seconds} s"),
            });
            var wait = TimeSpan.FromSeconds(1) < timeout - waited ? TimeSpan.FromSeconds(1) : timeout - waited;
            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
