using System.Security.Claims;
using LnbitsMcp.Server.Caching;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Who owns a session: a hash of an authenticated caller's subject (stores hold no user ids), or null. An OAuth
/// tool call asks for its owner several times (the gate, the tool-call filter), each a SHA-256 through OpenSSL, so
/// the keys of the last subjects seen are kept here.
/// </summary>
public static class OwnerKey
{
    /// <summary>How many subjects' keys are kept at most; when more come, the kept ones are dropped together.</summary>
    public const int Capacity = 10_000;

    private static readonly BoundedMap<string, string> s_bySubject = new(Capacity, StringComparer.Ordinal);

    public static string? Of(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
        && (user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name) is { Length: > 0 } subject
            ? OfSubject(subject)
            : null;

    public static string OfSubject(string subject) =>
        s_bySubject.TryGetValue(subject, out var key) ? key : s_bySubject.Keep(subject, SessionId.Key("owner:" + subject));
}
