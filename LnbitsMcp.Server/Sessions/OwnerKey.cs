using System.Security.Claims;

namespace LnbitsMcp.Server.Sessions;

/// <summary>Who owns a session: a hash of an authenticated caller's subject (stores hold no user ids), or null.</summary>
public static class OwnerKey
{
    public static string? Of(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && (user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name) is { Length: > 0 } subject
            ? SessionId.Key("owner:" + subject)
            : null;
}
