using System.Globalization;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// <c>/connect/{link}</c>: the wallet form for one MCP session (the URL-mode elicitation of
/// <c>configure_lnbits</c>, see <see cref="SessionLinks"/>). The same fields and the same LNbits check as the
/// connect page; on success the session is configured and the link is used up.
/// </summary>
public static class SessionLinkPage
{
    public static async Task<IResult> ShowAsync(HttpContext context, string link, IOAuthStore store, IAntiforgery antiforgery, IOptions<PaymentOptions> payments)
    {
        if (await store.PeekOnceAsync(OneUseKind.SessionLink, link, context.RequestAborted) is null)
        {
            return Expired(context);
        }

        Telemetry.SecretRedactor.Register(link); // one we issued (it exists): kept out of spans and logs
        return Form(context, link, new ConnectForm(), null, null, antiforgery, payments.Value);
    }

    public static async Task<IResult> SubmitAsync(HttpContext context, string link, IOAuthStore store, ISessionStore sessions,
        LnbitsConnector connector, OperatorLnbits operatorLnbits, IAntiforgery antiforgery, IOptions<PaymentOptions> payments, IOptions<SessionsOptions> sessionOptions)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return PageShell.Error(context, "Form refused", "This form was not sent from this server's page, or it expired.");
        }

        if (await store.PeekOnceAsync(OneUseKind.SessionLink, link, context.RequestAborted) is null)
        {
            return Expired(context);
        }

        Telemetry.SecretRedactor.Register(link);
        var input = ConnectForm.Read(form);
        var check = await WalletCheck.RunAsync(input, connector, operatorLnbits, context.RequestAborted);
        if (check.Settings is not { } settings)
        {
            return Form(context, link, input, check.Message, check.Wallets, antiforgery, payments.Value);
        }

        var json = await store.TakeOnceAsync(OneUseKind.SessionLink, link, context.RequestAborted);
        var target = json is null ? null : JsonSerializer.Deserialize(json, OAuthJson.Default.SessionLink);
        var session = target is null ? null : await sessions.FindAsync(target.SessionKey, context.RequestAborted);
        if (session is null || !await sessions.SaveAsync(session with { Lnbits = settings, Limits = check.Limits }, context.RequestAborted))
        {
            return Expired(context);
        }

        settings.RegisterSecrets(session.IdleTimeout ?? sessionOptions.Value.IdleTimeout); // verified by LNbits: kept out of telemetry

        return PageShell.Render(context, "Wallet connected", $"""
            <h1>Wallet connected</h1><p role="status">Your assistant's session now uses the wallet <strong>{PageShell.Encode(settings.WalletName)}</strong>
            ({PageShell.Encode(settings.KeyType.ToWire())} key). You can close this page.</p>
            """);
    }

    private static IResult Expired(HttpContext context) =>
        PageShell.Error(context, "This link cannot be used", "It was already used or it expired. Ask your assistant to call configure_lnbits again.", StatusCodes.Status404NotFound);

    private static IResult Form(HttpContext context, string link, ConnectForm input, string? message, IReadOnlyList<(string Id, string Name)>? wallets, IAntiforgery antiforgery, PaymentOptions limits)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder("""
            <h1>Connect an LNbits wallet to your assistant's session</h1>
            <p class="note">Your wallet key stays on this server (encrypted); the assistant and its AI model never see it.</p>
            """);
        if (message is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert" id="message">{PageShell.Encode(message)}</p>""");
        }

        html.Append(CultureInfo.InvariantCulture, $"""<form method="post" action="{SessionLinks.PagePath}/{PageShell.Encode(link)}">""");
        html.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{PageShell.Encode(tokens.FormFieldName)}" value="{PageShell.Encode(tokens.RequestToken)}">""");
        WalletFormFields.Append(html, input, wallets, limits, readOnlyBox: false);
        return PageShell.Render(context, "Connect an LNbits wallet", html.ToString());
    }
}
