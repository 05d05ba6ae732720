using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// Who uses the pages: a stable random user id per browser, kept in an HttpOnly, SameSite=Lax cookie (Secure
/// outside loopback) issued when the browser first consents. It is the subject (owner) of that browser's
/// connections. Only the pages read it: MCP requests authenticate with bearer tokens alone.
/// </summary>
public static class PageUser
{
    public const string Scheme = "lnbits-mcp-pages";
    public const string CookieName = "lnbits_mcp_user";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = TimeSpan.FromDays(180);
        options.SlidingExpiration = true;
        options.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
        options.Events.OnSigningIn = context =>
        {
            context.CookieOptions.Secure = context.Request.IsHttps || !IsLoopback(context.HttpContext);
            return Task.CompletedTask;
        };
    }

    /// <summary>Whether the browser may get a non-Secure cookie: only a loopback address over http (local development).</summary>
    public static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        && (string.Equals(context.Request.Host.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(context.Request.Host.Host.Trim('[', ']'), out var host) && IPAddress.IsLoopback(host)));

    /// <summary>The browser's user id, or null when it has none yet.</summary>
    public static async Task<string?> FindAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        return result.Succeeded ? result.Principal.FindFirstValue("sub") : null;
    }

    /// <summary>The browser's user id, issuing one (and its cookie) the first time.</summary>
    public static async Task<string> EnsureAsync(HttpContext context)
    {
        if (await FindAsync(context) is { } existing)
        {
            return existing;
        }

        var subject = "user_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var identity = new ClaimsIdentity([new Claim("sub", subject)], Scheme, "sub", null);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        return subject;
    }
}
