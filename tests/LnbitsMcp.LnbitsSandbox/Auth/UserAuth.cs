using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Auth;

/// <summary>LNbits' account check (<c>check_user_exists</c>): a bearer token from the <c>Authorization</c> header
/// or the <c>cookie_access_token</c> cookie, else a <c>usr</c> query parameter (user-id-only login).</summary>
internal sealed class UserAuth(SandboxLedger ledger, AccessTokens tokens)
{
    public SandboxUser RequireUser(HttpRequest request)
    {
        var token = BearerToken(request) ?? request.Cookies["cookie_access_token"];
        if (!string.IsNullOrEmpty(token))
        {
            var (subject, userId) = tokens.Validate(token);
            var user = ledger.Locked(l => !string.IsNullOrEmpty(subject)
                ? l.FindUserByUsername(subject)
                : userId is null ? null : l.FindUser(userId));
            return user ?? throw ApiException.Unauthorized("User not found.");
        }

        var usr = request.Query["usr"].ToString();
        if (!string.IsNullOrEmpty(usr))
        {
            return ledger.Locked(l => l.FindUser(usr.Replace("-", string.Empty, StringComparison.Ordinal)))
                ?? throw ApiException.Unauthorized("User not found.");
        }

        throw ApiException.Unauthorized("Missing user ID or access token.");
    }

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[scheme.Length..].Trim()
            : null;
    }
}
