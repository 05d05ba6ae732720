using System.Globalization;
using System.Text;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// <c>/connections</c>: the connections this browser's user made (client, created, last used, wallet, limits,
/// sats spent in 24 h), each with a Revoke button. Revoking stops every token of the connection at once, on
/// every instance.
/// </summary>
public static class ConnectionsPage
{
    public const string Path = "/connections";
    public const string RevokePath = "/connections/revoke";

    public static async Task<IResult> ShowAsync(HttpContext context, Connections connections, ISessionStore sessions, IPaymentLedger ledger,
        WalletLedgerKeys walletKeys, IAntiforgery antiforgery, IOptions<PaymentOptions> payments, TimeProvider time)
    {
        var subject = await PageUser.FindAsync(context);
        var list = subject is null ? [] : await connections.ListAsync(subject, context.RequestAborted);
        var html = new StringBuilder("<h1>Your connections</h1>");
        if (context.Request.Query["revoked"] == "1")
        {
            html.Append("""<p class="note" role="status">The connection was revoked: its tokens no longer work.</p>""");
        }

        if (list.Count == 0)
        {
            html.Append("<p>This browser has no connections. Connect an app (Claude, ChatGPT, …) to this server to see it here.</p>");
            return PageShell.Render(context, "Your connections", html.ToString());
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var now = time.GetUtcNow();
        html.Append("<table><thead><tr><th scope=\"col\">App</th><th scope=\"col\">Wallet</th><th scope=\"col\">Limits</th><th scope=\"col\">Spent (24 h)</th><th scope=\"col\"></th></tr></thead><tbody>");
        foreach (var connection in list)
        {
            var session = await sessions.FindAsync(connection.ConnectionKey, context.RequestAborted);
            var limits = PaymentLimits.For(payments.Value, session?.Limits);
            var spent = await SpentAsync(session, connection.ConnectionKey, ledger, walletKeys, now, context.RequestAborted);
            var canPay = connection.Scopes.Contains(OAuthScopes.WalletPay);
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><strong>{PageShell.Encode(connection.ClientName)}</strong><br><span class="note">connected {Time(connection.CreatedAt)}<br>last used {Time(connection.LastUsedAt)}</span></td>
                <td>{PageShell.Encode(session?.Lnbits?.WalletName ?? "(unknown)")}<br><span class="note">{PageShell.Encode(session?.Lnbits?.BaseUrl.Host)}</span></td>
                <td>{(canPay
                    ? $"max {limits.MaxPaymentSats} sats per payment<br>{limits.DailyBudgetSats} sats per 24 h<br>asks above {limits.ConfirmAboveSats} sats{PayeeRulesText(session?.Limits.Payees)}"
                    : "read-only")}</td>
                <td>{PageShell.Encode(spent)}</td>
                <td><form method="post" action="{RevokePath}">
                <input type="hidden" name="{PageShell.Encode(tokens.FormFieldName)}" value="{PageShell.Encode(tokens.RequestToken)}">
                <input type="hidden" name="connection" value="{PageShell.Encode(connection.ConnectionKey)}">
                <button type="submit" aria-label="Revoke {PageShell.Encode(connection.ClientName)}">Revoke</button></form></td></tr>
                """);
        }

        html.Append("</tbody></table>");
        return PageShell.Render(context, "Your connections", html.ToString());
    }

    private static string PayeeRulesText(Payments.PayeeRules? rules) =>
        (rules?.Allow is { Count: > 0 } allow ? "<br>only pays: " + PageShell.Encode(string.Join(", ", allow)) : string.Empty)
        + (rules?.Deny is { Count: > 0 } deny ? "<br>never pays: " + PageShell.Encode(string.Join(", ", deny)) : string.Empty);

    public static async Task<IResult> RevokeAsync(HttpContext context, Connections connections, IAntiforgery antiforgery)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return PageShell.Error(context, "Form refused", "This form was not sent from the connections page of this server, or it expired.");
        }

        var subject = await PageUser.FindAsync(context);
        if (subject is null || form["connection"].ToString() is not { Length: > 0 } connection
            || !await connections.RevokeAsync(OwnerKey.OfSubject(subject), connection, context.RequestAborted))
        {
            return PageShell.Error(context, "Nothing revoked", "This browser has no such connection.", StatusCodes.Status404NotFound);
        }

        return Results.Redirect(Path + "?revoked=1", permanent: false, preserveMethod: false);
    }

    /// <summary>What this connection paid in 24 h (its own part of the wallet ledger), and the whole wallet's.</summary>
    private static async Task<string> SpentAsync(AppSession? session, string connectionKey, IPaymentLedger ledger, WalletLedgerKeys walletKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (session?.Lnbits is not { } settings)
        {
            return "–";
        }

        try
        {
            var usage = await ledger.GetUsageAsync(await walletKeys.ForAsync(settings, cancellationToken), connectionKey, now, cancellationToken);
            return string.Create(CultureInfo.InvariantCulture, $"{usage.Caller.SpentLast24HoursMsat / 1000} sats (wallet: {usage.Wallet.SpentLast24HoursMsat / 1000})");
        }
        catch (Mcp.ToolException)
        {
            return "(LNbits unreachable)";
        }
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
