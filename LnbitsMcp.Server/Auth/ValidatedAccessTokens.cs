using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.Abstractions;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// What the validation of a built-in access token made of it, kept per token until the token expires, for the
/// tool-call paths. A connection sends the same token with every call for up to an hour, and validating it each
/// time (Data Protection, OpenIddict's server and validation handlers, the principal they build) cost twice what
/// the tool call itself did. The checks that can change while a token lives still run on every request
/// (<see cref="ResourceServerGate"/>: the audience, and whether the connection is live, so a revocation stops the
/// token on every instance by the time it answers); an expired token is never taken from here. Kept by the token's SHA-256,
/// not by the token; a token that fails validation is not kept.
/// </summary>
public sealed class ValidatedAccessTokens(TimeProvider time) : IDisposable
{
    /// <summary>How many tokens are kept at most (the least recently used go first).</summary>
    public const int Capacity = 10_000;

    /// <summary>A kept token unused this long is forgotten before it expires.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(10);

    private const string TakenItem = "lnbits_mcp.validated_access_token";

    private readonly MemoryCache _principals = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>Whether this request's user was taken from here (the authentication middleware then has nothing to do).</summary>
    public static bool Taken(HttpContext context) => context.Items.ContainsKey(TakenItem);

    /// <summary>Middleware: a tool call whose bearer token is kept here gets its principal without validating the token again.</summary>
    public Task TakeKeptAsync(HttpContext context, RequestDelegate next)
    {
        if (ToolCallBearerToken(context) is { } token
            && _principals.TryGetValue(Key(token), out Validated? validated) && validated is not null && time.GetUtcNow() < validated.ExpiresAt)
        {
            context.User = validated.Principal;
            context.Items[TakenItem] = true;
        }

        return next(context);
    }

    /// <summary>Middleware after authentication: keeps what the validation made of a tool call's bearer token.</summary>
    public Task KeepValidatedAsync(HttpContext context, RequestDelegate next)
    {
        var now = time.GetUtcNow();
        if (ToolCallBearerToken(context) is { } token
            && context.User is { Identity.IsAuthenticated: true } principal && Connections.Identify(principal) is not null
            && principal.GetExpirationDate() is { } expiresAt && expiresAt > now)
        {
            _principals.Set(Key(token), new Validated(principal, expiresAt), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpirationRelativeToNow = expiresAt - now,
                SlidingExpiration = IdleLifetime,
            });
        }

        return next(context);
    }

    public void Dispose() => _principals.Dispose();

    /// <summary>The bearer token of a request on a tool-call path, else null (the header first: an anonymous call stops there).</summary>
    private static string? ToolCallBearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization;
        return header.Count == 1 && header[0] is { Length: > 7 } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && ToolCallAuthentication.IsToolCallPath(context)
            ? value[7..].Trim()
            : null;
    }

    private static string Key(string token) => Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private sealed record Validated(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);
}
