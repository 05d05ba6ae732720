using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps ASP.NET Core's authorization middleware out of the request pipeline. WebApplication adds it on its own,
/// ahead of every middleware of ours, as soon as authorization services are registered (YARP's
/// <c>AddReverseProxy</c> registers them), and it then runs for every request: one more async layer and a request
/// <c>Items</c> dictionary each time. None of our endpoints carries authorization metadata: callers are checked by
/// our own middleware and pages (the resource-server gate, the sign-in cookie of the pages). Should an endpoint ever
/// carry some (<c>[Authorize]</c>, <c>RequireAuthorization</c>), ASP.NET Core's endpoint middleware refuses to run it
/// (an <see cref="InvalidOperationException"/> naming the missing middleware): nothing passes unchecked.
/// </summary>
public static class AuthorizationMiddlewareOptOut
{
    /// <summary>The application property by which WebApplication knows that the app placed (or left out) the authorization middleware itself.</summary>
    public const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    public static TApp WithoutAuthorizationMiddleware<TApp>(this TApp app) where TApp : IApplicationBuilder
    {
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app;
    }
}
