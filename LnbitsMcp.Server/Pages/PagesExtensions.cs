using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Payments;

namespace LnbitsMcp.Server.Pages;

public static class PagesExtensions
{
    /// <summary>The pages' browser cookie (<see cref="PageUser"/>) and anti-forgery; only with the built-in authorization server.</summary>
    public static IHostApplicationBuilder AddPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddCookie(PageUser.Scheme, PageUser.Configure);
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "lnbits_mcp_antiforgery";
            options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.FormFieldName = "__RequestVerificationToken";
        });
        return builder;
    }

    /// <summary>The session-link and payment-approval pages; with the built-in authorization server also the connect page, dynamic client registration and the connections page.</summary>
    public static WebApplication MapPages(this WebApplication app)
    {
        app.MapGet(SessionLinks.PagePath + "/{link}", SessionLinkPage.ShowAsync);
        app.MapPost(SessionLinks.PagePath + "/{link}", SessionLinkPage.SubmitAsync).DisableAntiforgery();
        app.MapGet(PaymentApprovals.PagePath + "/{id}", ApprovalPage.ShowAsync);
        app.MapPost(PaymentApprovals.PagePath + "/{id}", ApprovalPage.DecideAsync).DisableAntiforgery();
        if (!app.Services.HasBuiltInAuthorizationServer())
        {
            return app;
        }

        app.MapMethods(AuthorizationServerExtensions.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], ConnectPage.AuthorizeAsync).DisableAntiforgery();
        app.MapPost(ConnectPage.ConsentPath, ConnectPage.ConsentAsync).DisableAntiforgery();
        app.MapPost(ClientRegistrationEndpoint.Path, ClientRegistrationEndpoint.RegisterAsync).DisableAntiforgery();
        app.MapGet(ConnectionsPage.Path, ConnectionsPage.ShowAsync);
        app.MapPost(ConnectionsPage.RevokePath, ConnectionsPage.RevokeAsync).DisableAntiforgery();
        return app;
    }
}
