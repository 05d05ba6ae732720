using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>Creates invoices for sandbox wallets (LNbits' <c>create_wallet_invoice</c> / <c>create_invoice</c>
/// with a FakeWallet-like backend: the preimage is known and stored on the row).</summary>
internal sealed class InvoiceService(
    SandboxLedger ledger,
    LocalNode node,
    SettingsStore settings,
    ExchangeRates rates,
    SandboxOptions options,
    TimeProvider clock)
{
    public const int DefaultExpirySeconds = 3600;

    public PaymentView Create(SandboxWallet wallet, InvoiceRequest request)
    {
        if (request.FiatProvider is { Length: > 0 } provider)
        {
            throw ApiException.BadRequest($"Fiat provider '{provider}' is not enabled.");
        }

        var memo = string.IsNullOrEmpty(request.Memo) ? options.SiteTitle : request.Memo;
        byte[]? descriptionHash = null;
        if (request.DescriptionHash is not null || request.UnhashedDescription is not null)
        {
            if (request.DescriptionHash is not null)
            {
                descriptionHash = ParseHex(request.DescriptionHash, "'description_hash' must be a valid hex string");
                if (descriptionHash.Length != 32)
                {
                    throw ApiException.BadRequest("'description_hash' must be a valid hex string");
                }
            }
            else
            {
                var unhashed = ParseHex(request.UnhashedDescription!, "'unhashed_description' must be a valid hex string");
                descriptionHash = SHA256.HashData(unhashed);
            }

            memo = string.Empty;
        }

        if (request.Amount is not > 0)
        {
            throw new PaymentException("Amountless invoices not supported.");
        }

        var (amountSat, extra) = FiatAmounts.Calculate(rates, request.Amount.Value, settings.Current.AccountingCurrency, request.Unit, request.Extra);
        var maxIncoming = settings.Current.MaxIncomingSats;
        if (amountSat > maxIncoming)
        {
            throw new PaymentException($"Invoice amount {amountSat} sats is too high. Max allowed: {maxIncoming} sats.");
        }

        if (amountSat < 1)
        {
            throw new PaymentException("Amountless invoices not supported.");
        }

        if (request.PaymentHash is not null)
        {
            throw new PaymentException("Hold invoices are not supported by the funding source.");
        }

        var expiry = request.Expiry is { } e and > 0 ? (int)Math.Min(e, int.MaxValue) : DefaultExpirySeconds;
        return Issue(wallet, amountSat * 1000, memo, descriptionHash, expiry, extra, request.Webhook, request.Labels);
    }

    /// <summary>Issues an invoice of any msat amount for a wallet and records its pending incoming row.</summary>
    public PaymentView Issue(
        SandboxWallet wallet,
        long amountMsat,
        string memo,
        byte[]? descriptionHash,
        int expirySeconds,
        JsonObject? extra = null,
        string? webhook = null,
        List<string>? labels = null,
        string? tag = null,
        DateTimeOffset? createdAt = null)
    {
        var invoiceMemo = descriptionHash is null ? Truncate(memo, 640) : null;
        var issued = node.Issue(amountMsat, invoiceMemo, descriptionHash, expirySeconds, createdAt);
        var now = LnbitsTime.Now(clock);
        var payment = new PaymentRecord
        {
            CheckingId = issued.PaymentHash,
            PaymentHash = issued.PaymentHash,
            WalletId = wallet.Id,
            Amount = amountMsat,
            Bolt11 = issued.Bolt11,
            Memo = memo,
            Expiry = issued.ExpiresAt,
            Webhook = webhook,
            Preimage = issued.Preimage,
            Tag = tag,
            Extension = tag,
            Time = now,
            UpdatedAt = now,
            Labels = labels ?? [],
            Extra = extra ?? [],
        };
        return ledger.Locked(l =>
        {
            l.AddPayment(payment);
            return PaymentView.From(payment);
        });
    }

    /// <summary>An outside payer pays a pending invoice of a sandbox wallet.</summary>
    public PaymentView SettleFromOutside(string paymentHash)
    {
        lock (ledger.Gate)
        {
            var invoice = ledger.Payments.FirstOrDefault(p => p.PaymentHash == paymentHash && p.IsIncoming)
                ?? throw ApiException.NotFound("Invoice not found.");
            if (!invoice.IsPending)
            {
                throw new ApiException(StatusCodes.Status409Conflict, $"Invoice is already {invoice.Status}.");
            }

            if (invoice.Expiry is { } expiry && clock.GetUtcNow() > expiry)
            {
                throw ApiException.BadRequest("Invoice expired.");
            }

            invoice.Status = PaymentStatusText.Success;
            invoice.UpdatedAt = LnbitsTime.Now(clock);
            return PaymentView.From(invoice);
        }
    }

    private static byte[] ParseHex(string hex, string message)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest(message);
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
