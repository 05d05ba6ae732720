using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// <c>pay_l402</c>: requests a URL; when it answers <c>402</c> with an L402 challenge, the challenge's invoice is
/// checked (valid, this network, an amount, not expired, within <c>max_sats</c>, the token committing to it) and paid
/// through <see cref="InvoicePayment"/> — the same limits, budget, confirmation and ledger (one payment per payment
/// hash) as <c>pay_invoice</c> — then the preimage is checked against the payment hash and the request repeated with
/// <c>Authorization: L402 &lt;token&gt;:&lt;preimage&gt;</c>. The credential is kept per session and origin and reused;
/// calls of one session to one origin run one at a time, so concurrent calls pay once.
/// </summary>
public sealed class L402Payment(
    InvoicePayment invoices,
    PaymentChecks checks,
    PaymentAudit audit,
    PayeePolicy payees,
    L402HttpClient http,
    IL402CredentialStore credentials,
    LnbitsClientFactory clients,
    IOptions<L402Options> options,
    TimeProvider time)
{
    private static readonly SemaphoreSlim[] s_locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<L402Result> FetchAsync(PaymentCall call, L402Request request, long maxSats, CancellationToken cancellationToken)
    {
        payees.Check(call, PayeeKind.Origin, request.Origin, 0);
        var ledgerKey = call.Connection.LedgerKey;
        var gate = s_locks[(int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(ledgerKey + "\n" + request.Origin))) % (uint)s_locks.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await FetchLockedAsync(call, request, maxSats, ledgerKey, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<L402Result> FetchLockedAsync(PaymentCall call, L402Request request, long maxSats, string ledgerKey, CancellationToken cancellationToken)
    {
        var stored = await credentials.GetAsync(ledgerKey, request.Origin, cancellationToken);
        Telemetry.SecretRedactor.RegisterForCall(stored?.Token);
        Telemetry.SecretRedactor.RegisterForCall(stored?.Preimage);
        if (stored?.State == L402CredentialStates.Pending)
        {
            stored = await SettlePendingAsync(call, request, stored, ledgerKey, cancellationToken);
        }

        L402Response? challenged = null;
        if (stored?.State == L402CredentialStates.Paid)
        {
            if (call.DryRun)
            {
                return new L402Result { Url = request.Url.AbsoluteUri, Method = request.Method.Method, Credential = "cached", DryRun = true, PaymentHash = stored.PaymentHash };
            }

            var reused = await http.SendAsync(request, stored.Authorization, cancellationToken);
            if (!reused.AsksForPayment)
            {
                return L402Result.From(request, reused, "cached") with { PaymentHash = stored.PaymentHash };
            }

            // The origin no longer takes it (expired, revoked): forget it and answer the new challenge.
            await credentials.RemoveAsync(ledgerKey, request.Origin, cancellationToken);
            challenged = reused;
            stored = null;
        }

        L402Challenge challenge;
        if (challenged is null && stored?.State == L402CredentialStates.Unpaid && stored.Resource == request.Resource && !IsExpired(stored.Invoice))
        {
            // The challenge a person was asked to confirm: the repeated call pays exactly that invoice.
            challenge = stored.Challenge;
        }
        else
        {
            challenged ??= await http.SendAsync(request, null, cancellationToken);
            if (!challenged.AsksForPayment)
            {
                return L402Result.From(request, challenged, "none") with { DryRun = call.DryRun ? true : null };
            }

            challenge = ChallengeOf(call, request, challenged);
        }

        var invoice = checks.DecodeForPayment(call, challenge.Invoice);
        var priceSats = SatAmounts.Ceiling(invoice.AmountMsat!.Value);
        if (priceSats > maxSats)
        {
            audit.Refused(call, ToolErrorCodes.LimitExceeded, invoice.AmountMsat.Value);
            throw new ToolException(ToolErrorCodes.LimitExceeded,
                string.Create(CultureInfo.InvariantCulture, $"{request.Origin} asks {priceSats} sats, more than max_sats ({maxSats}). Nothing was paid."),
                new Dictionary<string, object?> { ["limit"] = "max_sats", ["max_sats"] = maxSats, ["requested_sats"] = priceSats });
        }

        if (MacaroonIdentifier.CommittedPaymentHash(challenge.Token) is { } committed && committed != invoice.PaymentHash)
        {
            audit.Refused(call, ToolErrorCodes.L402Error, invoice.AmountMsat.Value);
            throw new ToolException(ToolErrorCodes.L402Error,
                $"{request.Origin}'s token commits to another payment hash than its invoice's: paying that invoice would not unlock it. Nothing was paid.");
        }

        if (call.DryRun)
        {
            var report = await invoices.PayAsync(call, challenge.Invoice, cancellationToken);
            return new L402Result
            {
                Url = request.Url.AbsoluteUri, Method = request.Method.Method, Status = challenged?.Status ?? 402, Credential = "none",
                DryRun = true, PriceSats = priceSats, PaymentHash = invoice.PaymentHash, Payment = report,
            };
        }

        var unpaid = new L402Credential(L402CredentialStates.Unpaid, challenge.Scheme, challenge.Token, challenge.Invoice, invoice.PaymentHash, priceSats, null, request.Resource);
        await credentials.SaveAsync(ledgerKey, request.Origin, unpaid, UntilExpiry(invoice), cancellationToken);
        PaymentResult paid;
        try
        {
            paid = await invoices.PayAsync(call, challenge.Invoice, ForWhat(request), cancellationToken);
        }
        catch (ToolException error) when (MayHaveBeenSent(error))
        {
            // Sent before (or maybe sent now): never again; its status decides on the next call.
            await credentials.SaveAsync(ledgerKey, request.Origin, unpaid with { State = L402CredentialStates.Pending }, options.Value.L402CredentialLifetime, cancellationToken);
            throw;
        }

        var credential = await CompleteAsync(call, request, unpaid, paid.Status, paid.Preimage, ledgerKey, cancellationToken);
        var answer = await http.SendAsync(request, credential.Authorization, cancellationToken);
        if (answer.AsksForPayment)
        {
            await credentials.RemoveAsync(ledgerKey, request.Origin, cancellationToken);
            throw new ToolException(ToolErrorCodes.L402Error,
                string.Create(CultureInfo.InvariantCulture,
                    $"{request.Origin} refused the credential it was paid for (HTTP {answer.Status}). {priceSats} sats were paid (payment_hash {invoice.PaymentHash}); the request is not repeated and nothing more is paid."),
                new Dictionary<string, object?> { ["payment_hash"] = invoice.PaymentHash, ["paid_sats"] = priceSats, ["status"] = answer.Status });
        }

        return L402Result.From(request, answer, "paid") with { PaidSats = priceSats, FeeMsat = paid.FeeMsat, PaymentHash = invoice.PaymentHash };
    }

    /// <summary>
    /// After the payment: a success must carry the preimage of the payment hash (else the credential would not
    /// work, and the request is not repeated); a pending payment is kept as such (never paid again); a failed one is
    /// forgotten. Returns the paid credential, stored for reuse.
    /// </summary>
    private async Task<L402Credential> CompleteAsync(PaymentCall call, L402Request request, L402Credential credential, string status, string? preimage, string ledgerKey, CancellationToken cancellationToken)
    {
        if (status == PaymentStatuses.Pending)
        {
            await credentials.SaveAsync(ledgerKey, request.Origin, credential with { State = L402CredentialStates.Pending }, options.Value.L402CredentialLifetime, cancellationToken);
            throw new ToolException(ToolErrorCodes.L402Error,
                $"The payment for {request.Origin} (payment_hash {credential.PaymentHash}) is still pending. Call pay_l402 again later: it is never paid twice, the credential is completed when it settles.",
                new Dictionary<string, object?> { ["payment_hash"] = credential.PaymentHash, ["payment_status"] = status });
        }

        if (status != PaymentStatuses.Success)
        {
            await credentials.RemoveAsync(ledgerKey, request.Origin, cancellationToken);
            throw new ToolException(ToolErrorCodes.L402Error, $"The payment for {request.Origin} failed; nothing was spent.",
                new Dictionary<string, object?> { ["payment_hash"] = credential.PaymentHash, ["payment_status"] = status });
        }

        if (preimage is null || !PreimageMatches(preimage, credential.PaymentHash))
        {
            await credentials.RemoveAsync(ledgerKey, request.Origin, cancellationToken);
            audit.Record(call, "preimage_mismatch", credential.AmountSat);
            throw new ToolException(ToolErrorCodes.L402Error,
                $"LNbits reported the payment (payment_hash {credential.PaymentHash}) as paid but with no preimage of that hash, so no credential can be made; the request is not repeated and nothing more is paid.",
                new Dictionary<string, object?> { ["payment_hash"] = credential.PaymentHash, ["paid_sats"] = credential.AmountSat });
        }

        Telemetry.SecretRedactor.RegisterForCall(preimage);
        var paid = credential with { State = L402CredentialStates.Paid, Preimage = preimage };
        await credentials.SaveAsync(ledgerKey, request.Origin, paid, options.Value.L402CredentialLifetime, cancellationToken);
        return paid;
    }

    /// <summary>What the payment unlocks, for the person who confirms it: method and URL without its query (which may carry the caller's own keys).</summary>
    private static string ForWhat(L402Request request) => $"L402 access to {request.Method.Method} {request.Url.GetLeftPart(UriPartial.Path)}";

    /// <summary>Whether a payment that ended in this error may have gone out (then it is never sent again).</summary>
    private static bool MayHaveBeenSent(ToolException error) => error switch
    {
        LnbitsApiException { PaymentStatus: PaymentStatuses.Pending or PaymentStatuses.Success } => true,
        LnbitsApiException { ConnectionFailed: true } => false,
        _ => error.Code is ToolErrorCodes.AlreadyPaid or ToolErrorCodes.LnbitsUnreachable,
    };

    /// <summary>
    /// A payment sent (or maybe sent) by an earlier call: its status at LNbits completes, keeps or forgets the
    /// credential; a payment LNbits does not know (HTTP 404) never went out and is forgotten too.
    /// </summary>
    private async Task<L402Credential?> SettlePendingAsync(PaymentCall call, L402Request request, L402Credential pending, string ledgerKey, CancellationToken cancellationToken)
    {
        LnbitsPaymentStatus status;
        try
        {
            status = await clients.Create(call.Connection.Settings).GetPaymentStatusAsync(pending.PaymentHash, cancellationToken);
        }
        catch (LnbitsApiException error) when (error.HttpStatus == 404 && error.Code != ToolErrorCodes.LnbitsUnauthorized)
        {
            await credentials.RemoveAsync(ledgerKey, request.Origin, cancellationToken);
            return null;
        }

        if (status.Status == PaymentStatuses.Failed)
        {
            await credentials.RemoveAsync(ledgerKey, request.Origin, cancellationToken);
            return null;
        }

        return await CompleteAsync(call, request, pending, status.Paid || status.Status == PaymentStatuses.Success ? PaymentStatuses.Success : PaymentStatuses.Pending, status.Preimage, ledgerKey, cancellationToken);
    }

    private L402Challenge ChallengeOf(PaymentCall call, L402Request request, L402Response response)
    {
        if (!string.Equals(response.FinalUrl.GetLeftPart(UriPartial.Authority), request.Origin, StringComparison.OrdinalIgnoreCase))
        {
            audit.Refused(call, ToolErrorCodes.L402Error, 0);
            throw new ToolException(ToolErrorCodes.L402Error,
                $"{request.Origin} redirected to {response.FinalUrl.GetLeftPart(UriPartial.Authority)}, which asks for the payment; call pay_l402 with that URL if it is the one meant. Nothing was paid.");
        }

        var challenge = L402ChallengeParser.Parse(response.Challenges, out var problem);
        Telemetry.SecretRedactor.RegisterForCall(challenge?.Token);
        if (challenge is null)
        {
            audit.Refused(call, ToolErrorCodes.L402Error, 0);
            throw new ToolException(ToolErrorCodes.L402Error,
                string.Create(CultureInfo.InvariantCulture, $"{request.Origin} answered HTTP {response.Status} but {problem}. Nothing was paid."));
        }

        return challenge;
    }

    private static bool PreimageMatches(string preimage, string paymentHash) =>
        preimage.Length == 64 && preimage.All(Uri.IsHexDigit)
        && Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(preimage))) == paymentHash.ToLowerInvariant();

    private bool IsExpired(string bolt11) =>
        !Bolt11Decoder.TryDecode(bolt11, out var invoice, out _) || invoice.IsExpired(time.GetUtcNow());

    private TimeSpan UntilExpiry(Bolt11Invoice invoice)
    {
        var left = invoice.ExpiresAt - time.GetUtcNow();
        return left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
    }
}
