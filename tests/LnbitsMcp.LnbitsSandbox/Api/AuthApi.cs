using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Auth;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary><c>POST /api/v1/auth</c>: username/password login returning a bearer access token.</summary>
internal static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth", LoginAsync);
        return app;
    }

    private static async Task<IResult> LoginAsync(
        HttpRequest request,
        HttpResponse response,
        SandboxLedger ledger,
        AccessTokens tokens,
        CancellationToken cancellationToken)
    {
        var model = new BodyModel(await JsonBody.ReadAsync(request, cancellationToken));
        var username = model.Str("username", required: true);
        var password = model.Str("password", required: true);
        model.ThrowIfInvalid();

        var user = ledger.Locked(l => l.FindUserByUsername(username!));
        if (user?.Password is null || !string.Equals(user.Password, password, StringComparison.Ordinal))
        {
            throw ApiException.Unauthorized("Invalid credentials.");
        }

        var token = tokens.Issue(user);
        response.Cookies.Append("cookie_access_token", token, new CookieOptions { HttpOnly = true });
        return TypedResults.Json(new AccessToken(token, "bearer"), SandboxJson.Api.AccessToken);
    }
}
