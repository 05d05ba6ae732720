using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// The connect page. <c>GET /oauth/authorize</c> (after OpenIddict validated the request: known client,
/// registered redirect, PKCE S256) shows the client's name and redirect host and the wallet form; the form
/// posts to <c>/oauth/consent</c>, which checks the wallet with LNbits exactly like <c>configure_lnbits</c>,
/// creates the connection and hands a one-use consent ticket back to <c>/oauth/authorize</c>, where OpenIddict
/// issues the code (or, after Deny, <c>error=access_denied</c>) to the redirect URI. The wallet secrets never
/// pass through OpenIddict or the browser's address bar.
/// </summary>
public static class ConnectPage
{
    public const string ConsentPath = "/oauth/consent";
    private const string TicketParameter = "consent_ticket";
    private static readonly TimeSpan s_ticketLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The authorization request parameters the form carries back (nothing secret).</summary>
    private static readonly string[] s_requestParameters =
        [Parameters.ResponseType, Parameters.ClientId, Parameters.RedirectUri, Parameters.Scope, Parameters.State,
         Parameters.CodeChallenge, Parameters.CodeChallengeMethod, Parameters.Resource, Parameters.ResponseMode];

    public static async Task<IResult> AuthorizeAsync(HttpContext context, OAuthClients clients, IOAuthStore store, PublicUrls urls,
        IAntiforgery antiforgery, IOptions<PaymentOptions> payments, TimeProvider time)
    {
        if (context.GetOpenIddictServerResponse() is { Error: { Length: > 0 } } failure)
        {
            return PageShell.Error(context, "This app cannot connect", $"{failure.Error}: {failure.ErrorDescription}");
        }

        var request = context.GetOpenIddictServerRequest();
        var client = await clients.FindAsync(request?.ClientId, context.RequestAborted);
        if (request is null || client is null)
        {
            return PageShell.Error(context, "This app cannot connect", "The authorization request is incomplete.");
        }

        if (context.Request.Query[TicketParameter].ToString() is { Length: > 0 } ticketId)
        {
            return await FinishAsync(context, request, ticketId, store, urls, time);
        }

        await PageUser.EnsureAsync(context);
        return Form(context, request.RedirectUri!, client, RequestParameters(context.Request.Query), new ConnectForm(), message: null, wallets: null, antiforgery, payments.Value);
    }

    public static async Task<IResult> ConsentAsync(HttpContext context, OAuthClients clients, IOAuthStore store, Connections connections,
        LnbitsConnector connector, OperatorLnbits operatorLnbits, IAntiforgery antiforgery, IOptions<PaymentOptions> payments)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return PageShell.Error(context, "Form refused", "This form was not sent from the connect page of this server, or it expired. Start connecting again from your app.");
        }

        var subject = await PageUser.FindAsync(context);
        var oauth = RequestParameters(form);
        var redirectUri = oauth.GetValueOrDefault(Parameters.RedirectUri);
        var client = await clients.FindAsync(oauth.GetValueOrDefault(Parameters.ClientId), context.RequestAborted);
        if (subject is null || client is null || redirectUri is null || !RedirectUris.Matches(client.RedirectUris, redirectUri))
        {
            return PageShell.Error(context, "This app cannot connect", "The request lost its client or redirect address, or this browser refuses cookies. Start connecting again from your app.");
        }

        var input = ConnectForm.Read(form);
        var ticket = new ConsentTicket
        {
            Subject = subject,
            ClientId = client.ClientId,
            ClientName = client.Name,
            RedirectUri = redirectUri,
            CodeChallenge = oauth.GetValueOrDefault(Parameters.CodeChallenge),
            Denied = input.Action != "allow",
        };
        if (!ticket.Denied)
        {
            var checkedWallet = await WalletCheck.RunAsync(input, connector, operatorLnbits, context.RequestAborted);
            if (checkedWallet.Settings is not { } settings)
            {
                return Form(context, redirectUri, client, oauth, input, checkedWallet.Message, checkedWallet.Wallets, antiforgery, payments.Value);
            }

            var connection = await connections.CreateAsync(subject, client, settings, checkedWallet.Limits, input.ReadOnly, context.RequestAborted);
            ticket = ticket with { ConnectionKey = connection.ConnectionKey, Scopes = connection.Scopes };
        }

        var ticketId = AuthorizationServerHandlers.NewId() + AuthorizationServerHandlers.NewId();
        Telemetry.SecretRedactor.Register(ticketId);
        await store.PutOnceAsync(OneUseKind.ConsentTicket, ticketId, JsonSerializer.Serialize(ticket, OAuthJson.Default.ConsentTicket), s_ticketLifetime, context.RequestAborted);
        var query = QueryString.Create(oauth.Append(KeyValuePair.Create(TicketParameter, ticketId)).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
        context.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; form-action 'self' {PageShell.Origin(redirectUri)}; frame-ancestors 'none'";
        return Results.Redirect(AuthorizationServerExtensions.AuthorizePath + query.ToUriComponent(), permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> FinishAsync(HttpContext context, OpenIddictRequest request, string ticketId, IOAuthStore store, PublicUrls urls, TimeProvider time)
    {
        var json = await store.TakeOnceAsync(OneUseKind.ConsentTicket, ticketId, context.RequestAborted);
        var ticket = json is null ? null : JsonSerializer.Deserialize(json, OAuthJson.Default.ConsentTicket);
        if (ticket is not null)
        {
            Telemetry.SecretRedactor.Register(ticketId); // one we issued: kept out of this request's spans and logs
        }

        var subject = await PageUser.FindAsync(context);
        if (ticket is null || subject != ticket.Subject || ticket.ClientId != request.ClientId
            || ticket.RedirectUri != request.RedirectUri || ticket.CodeChallenge != request.CodeChallenge)
        {
            return PageShell.Error(context, "This consent cannot be used", "It was already used, it expired, or it belongs to another request or browser. Start connecting again from your app.");
        }

        if (ticket.Denied || ticket.ConnectionKey is null)
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user declined to connect a wallet.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var codeId = AuthorizationServerHandlers.NewId();
        var rotation = await store.RotateRefreshAsync(OwnerKey.OfSubject(subject), ticket.ConnectionKey, Connections.PendingRefresh,
            AuthorizationServerHandlers.CodeRefreshId(codeId), time.GetUtcNow(), Connections.PendingLifetime, context.RequestAborted);
        if (rotation != RefreshRotation.Rotated)
        {
            return PageShell.Error(context, "This consent cannot be used", "The connection it created is gone. Start connecting again from your app.");
        }

        var resource = urls.McpResource(context.Request);
        var identity = new ClaimsIdentity(authenticationType: "lnbits-mcp", nameType: Claims.Subject, roleType: Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
            .SetClaim(OAuthScopes.ConnectionClaim, ticket.ConnectionKey)
            .SetClaim(OAuthScopes.ClientNameClaim, ticket.ClientName)
            .SetClaim(OAuthScopes.CodeIdClaim, codeId);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes([.. ticket.Scopes, Scopes.OfflineAccess]);
        principal.SetResources(resource);
        principal.SetAudiences(resource);
        principal.SetDestinations(AuthorizationServerHandlers.ClaimDestinations);
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Form(HttpContext context, string redirectUri, OAuthClient client, IReadOnlyDictionary<string, string> oauth, ConnectForm input,
        string? message, IReadOnlyList<(string Id, string Name)>? wallets, IAntiforgery antiforgery, PaymentOptions limits)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var redirectHost = Uri.TryCreate(redirectUri, UriKind.Absolute, out var target) ? target.Authority : redirectUri;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h1>Connect an LNbits wallet</h1>
            <p><strong>{PageShell.Encode(client.Name)}</strong> asks to use an LNbits wallet through this server.
            After you allow it, you return to <strong>{PageShell.Encode(redirectHost)}</strong>.</p>
            <p class="note">Your wallet key stays on this server (encrypted); the app and its AI model never see it.
            An invoice key, or "read-only", lets the app read and create invoices but never pay.</p>
            """);
        if (message is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert" id="message">{PageShell.Encode(message)}</p>""");
        }

        html.Append(CultureInfo.InvariantCulture, $"""<form method="post" action="{ConsentPath}">""");
        html.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{PageShell.Encode(tokens.FormFieldName)}" value="{PageShell.Encode(tokens.RequestToken)}">""");
        foreach (var (name, value) in oauth)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{PageShell.Encode(name)}" value="{PageShell.Encode(value)}">""");
        }

        WalletFormFields.Append(html, input, wallets, limits, readOnlyBox: true);
        return PageShell.Render(context, "Connect an LNbits wallet", html.ToString(), formTargets: PageShell.Origin(redirectUri) is { } origin ? [origin] : null);
    }

    private static Dictionary<string, string> RequestParameters(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            if (s_requestParameters.Contains(key) && value.ToString() is { Length: > 0 } text)
            {
                values[key] = text;
            }
        }

        return values;
    }
}
