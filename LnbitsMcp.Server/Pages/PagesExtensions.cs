using LnbitsMcp.Server.Auth;

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

    /// <summary>The connect page, dynamic client registration and the connections page.</summary>
    public static WebApplication MapPages(this WebApplication app)
    {
        app.MapGet(SessionLinks.PagePath + "/{link}", SessionLinkPage.ShowAsync);
        app.MapPost(SessionLinks.PagePath + "/{link}", SessionLinkPage.SubmitAsync).DisableAntiforgery();
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
