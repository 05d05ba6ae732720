using System.Globalization;
using System.Text;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// <c>/approve/{id}</c>: a payment above the confirmation threshold, shown to the person (amount in sats, payee,
/// memo, the limits left after it) with Approve and Decline (anti-forgery). One decision: afterwards the page
/// says what was decided. Who may decide: see <see cref="ApprovalAccess"/>.
/// </summary>
public static class ApprovalPage
{
    public const string WalletKeyField = "wallet_key";

    public static async Task<IResult> ShowAsync(HttpContext context, string id, PaymentApprovals approvals, IPaymentLedger ledger,
        IAntiforgery antiforgery, IOptions<PaymentOptions> options, TimeProvider time)
    {
        if (await FindAsync(id, approvals, context.RequestAborted) is not { } approval)
        {
            return Gone(context);
        }

        var status = await approvals.SettleAsync(id, approval, time.GetUtcNow(), context.RequestAborted);
        if (status != ApprovalStatus.Pending)
        {
            return Decided(context, status);
        }

        var decider = await ApprovalAccess.WhoAsync(context, approval);
        return await FormAsync(context, id, approval, decider, null, ledger, antiforgery, options.Value, time);
    }

    public static async Task<IResult> DecideAsync(HttpContext context, string id, PaymentApprovals approvals, IPaymentLedger ledger,
        ISessionStore sessions, LnbitsClientFactory clients, IAntiforgery antiforgery, IOptions<PaymentOptions> options, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return PageShell.Error(context, "Form refused", "This form was not sent from this server's approval page, or it expired. Nothing was decided.");
        }

        if (await FindAsync(id, approvals, context.RequestAborted) is not { } approval)
        {
            return Gone(context);
        }

        var status = await approvals.SettleAsync(id, approval, time.GetUtcNow(), context.RequestAborted);
        if (status != ApprovalStatus.Pending)
        {
            return Decided(context, status);
        }

        var decision = form["action"].ToString() switch
        {
            "approve" => ApprovalStatus.Approved,
            "decline" => ApprovalStatus.Declined,
            _ => (ApprovalStatus?)null,
        };
        if (decision is null)
        {
            return PageShell.Error(context, "Nothing decided", "Choose Approve or Decline.");
        }

        var decider = await ApprovalAccess.WhoAsync(context, approval);
        if (decider == ApprovalDecider.Stranger
            && !await ApprovalAccess.ProvesWalletAsync(approval, form[WalletKeyField], sessions, clients, context.RequestAborted))
        {
            var message = string.IsNullOrWhiteSpace(form[WalletKeyField])
                ? "This payment belongs to a wallet connection made in another browser: open the link there, or enter the wallet's admin key."
                : "That is not the key of the wallet this payment would spend from. Nothing was decided.";
            return await FormAsync(context, id, approval, decider, message, ledger, antiforgery, options.Value, time);
        }

        var after = await approvals.DecideAsync(id, approval, decision.Value, "page", context.RequestAborted);
        if (after != decision)
        {
            return Decided(context, after ?? ApprovalStatus.Expired);
        }

        return decision == ApprovalStatus.Approved
            ? PageShell.Render(context, "Payment approved", """
                <h1>Payment approved</h1><p role="status" id="outcome">You approved this payment. Your assistant can now make it, once; you can close this page.</p>
                """)
            : PageShell.Render(context, "Payment declined", """
                <h1>Payment declined</h1><p role="status" id="outcome">You declined this payment: nothing will be paid. You can close this page.</p>
                """);
    }

    private static async Task<PaymentApproval?> FindAsync(string id, PaymentApprovals approvals, CancellationToken cancellationToken)
    {
        if (!PaymentApprovals.IsWellFormedId(id) || await approvals.Store.FindAsync(id, cancellationToken) is not { } approval)
        {
            return null;
        }

        SecretRedactor.Register(id, PaymentApprovals.ForgetAt(approval) - DateTimeOffset.UtcNow); // one we issued: kept out of spans and logs
        return approval;
    }

    private static IResult Gone(HttpContext context) =>
        PageShell.Error(context, "This approval cannot be used", "There is no such payment approval, or it ended a while ago. Nothing will be paid through it.", StatusCodes.Status404NotFound);

    private static IResult Decided(HttpContext context, ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => PageShell.Error(context, "Already approved", "This payment was already approved. The decision cannot be changed or repeated.", StatusCodes.Status409Conflict),
        ApprovalStatus.Used => PageShell.Error(context, "Already paid", "This payment was approved and made. The decision cannot be changed or repeated.", StatusCodes.Status409Conflict),
        ApprovalStatus.Declined => PageShell.Error(context, "Already declined", "This payment was declined: nothing will be paid.", StatusCodes.Status409Conflict),
        _ => PageShell.Error(context, "Approval expired", "Nobody decided in time, so nothing will be paid. Ask your assistant to try again if you still want to pay.", StatusCodes.Status410Gone),
    };

    private static async Task<IResult> FormAsync(HttpContext context, string id, PaymentApproval approval, ApprovalDecider decider, string? message,
        IPaymentLedger ledger, IAntiforgery antiforgery, PaymentOptions options, TimeProvider time)
    {
        var amountSat = approval.AmountSatCeiling;
        var left = await LimitsLeft.ReadAsync(ledger, approval.WalletKey, approval.LedgerKey, approval.Limits, options, time.GetUtcNow(), context.RequestAborted);
        var budgetAfter = left.BudgetLeftSats - amountSat;
        var limitsAfter = budgetAfter < 0
            ? string.Create(CultureInfo.InvariantCulture, $"This payment is over what is left of the 24-hour budget ({left.BudgetLeftSats} sats): it will be refused even if approved.")
            : string.Create(CultureInfo.InvariantCulture, $"{budgetAfter} sats of the 24-hour budget ({approval.Limits.DailyBudgetSats} sats), {Math.Max(0, left.PaymentsLeft - 1)} more payments this hour; at most {approval.Limits.MaxPaymentSats} sats per payment");
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            <h1>Approve a payment</h1>
            <p>Your assistant asks to pay from your LNbits wallet <strong id="wallet">{PageShell.Encode(approval.WalletName ?? "(unnamed)")}</strong>. It cannot pay this without you.</p>
            """));
        if (message is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert" id="message">{PageShell.Encode(message)}</p>""");
        }
        else if (decider == ApprovalDecider.Stranger)
        {
            html.Append("""<p class="error" role="alert" id="message">This payment belongs to a wallet connection made in another browser. Open the link in that browser, or enter the wallet's admin key below to decide here.</p>""");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <table>
            <tr><th scope="row">Amount</th><td id="amount">{amountSat.ToString("N0", CultureInfo.InvariantCulture)} sats</td></tr>
            <tr><th scope="row">To</th><td id="payee"><code>{PageShell.Encode(approval.Payee)}</code></td></tr>
            <tr><th scope="row">Memo</th><td id="memo">{PageShell.Encode(string.IsNullOrWhiteSpace(approval.Memo) ? "(none)" : approval.Memo)}</td></tr>
            <tr><th scope="row">Left after it</th><td id="limits-left">{PageShell.Encode(limitsAfter)}</td></tr>
            <tr><th scope="row">Decide by</th><td id="expires">{approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}</td></tr>
            </table>
            <form method="post" action="{PaymentApprovals.PagePath}/{PageShell.Encode(id)}">
            <input type="hidden" name="{PageShell.Encode(tokens.FormFieldName)}" value="{PageShell.Encode(tokens.RequestToken)}">
            """);
        if (decider == ApprovalDecider.Stranger)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <label for="{WalletKeyField}">The wallet's admin key</label>
                <input type="password" id="{WalletKeyField}" name="{WalletKeyField}" autocomplete="off">
                """);
        }

        html.Append("""
            <button type="submit" class="primary" name="action" value="approve">Approve</button>
            <button type="submit" name="action" value="decline">Decline</button>
            </form>
            <p class="note">Only approve a payment you asked for. The decision is final and counts once.</p>
            """);
        return PageShell.Render(context, "Approve a payment", html.ToString(),
            decider == ApprovalDecider.Stranger ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK);
    }
}
