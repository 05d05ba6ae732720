using System.Text;
using LnbitsMcp.Server.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.AspNetCore.Authentication;

namespace LnbitsMcp.Server.Auth;

public static class CallerAuthExtensions
{
    /// <summary>
    /// Caller authentication (CONTRACT §8): by default the built-in authorization server and its tokens; with
    /// <c>Auth:Jwt</c> an external issuer's JWTs instead (see <see cref="CallerAuthOptions"/>); nothing with
    /// <c>Auth:Mode=none</c> and no <c>Auth:Jwt</c>.
    /// </summary>
    public static IHostApplicationBuilder AddCallerAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PublicUrl is null || (o.PublicUrl.IsAbsoluteUri && o.PublicUrl.Scheme is "http" or "https" && string.IsNullOrEmpty(o.PublicUrl.Query)),
                "Auth:PublicUrl must be an absolute http(s) URL without a query.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddSingleton<ResourceServerGate>();
        builder.Services.AddSingleton<SessionLinks>();
        if (builder.UsesRedis())
        {
            builder.Services.AddSingleton<IOAuthStore, RedisOAuthStore>();
        }
        else
        {
            builder.Services.AddSingleton<IOAuthStore, InProcessOAuthStore>();
        }

        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var jwt = builder.Configuration.GetSection(CallerAuthOptions.SectionName).Get<CallerAuthOptions>() ?? new CallerAuthOptions();
        if (jwt.Enabled)
        {
            builder.AddExternalIssuer(jwt);
        }
        else if (auth.Mode != AuthMode.None)
        {
            builder.AddAuthorizationServer(auth);
        }
        else
        {
            return builder;
        }

        if (auth.Mode != AuthMode.None)
        {
            builder.Services.AddAuthentication().AddMcp(options =>
            {
                options.Events.OnResourceMetadataRequest = context => ProtectedResourceMetadataDocument.DescribeAsync(context, jwt);
            });
        }

        return builder;
    }

    private static void AddExternalIssuer(this IHostApplicationBuilder builder, CallerAuthOptions options)
    {
        if (options.SigningKey is { Length: > 0 and < 32 })
        {
            throw new InvalidOperationException("Auth:Jwt:SigningKey must be at least 32 characters.");
        }

        builder.Services.AddSingleton<ExternalIssuer>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.Authority = options.Authority;
            jwt.Audience = options.Audience;
            jwt.RequireHttpsMetadata = options.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateAudience = !string.IsNullOrWhiteSpace(options.Audience),
                ValidAudience = options.Audience,
                ValidateIssuer = !string.IsNullOrWhiteSpace(options.Issuer) || !string.IsNullOrWhiteSpace(options.Authority),
                ValidIssuer = options.Issuer,
                ValidateLifetime = true,
                NameClaimType = "sub",
                IssuerSigningKey = options.SigningKey is { Length: > 0 } key ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) : null,
            };
        });
    }

    /// <summary>Authenticates callers, then lets <see cref="ResourceServerGate"/> guard the MCP endpoints.</summary>
    public static WebApplication UseCallerAuth(this WebApplication app)
    {
        var builtIn = app.Services.GetService<Connections>() is not null;
        if (!builtIn && app.Services.GetService<ExternalIssuer>() is null)
        {
            return app; // Auth:Mode none without an external issuer: bearer headers mean nothing here
        }

        if (builtIn)
        {
            // Build OpenIddict's options now, not on the first request (a client probing the protocol would time out).
            _ = app.Services.GetRequiredService<IOptionsMonitor<OpenIddict.Server.OpenIddictServerOptions>>().CurrentValue;
            _ = app.Services.GetRequiredService<IOptionsMonitor<OpenIddict.Validation.OpenIddictValidationOptions>>().CurrentValue;
        }

        if (builtIn)
        {
            app.Use(OAuthCors.InvokeAsync);
        }

        // Anonymous tool calls skip the authentication middleware (nothing to authenticate; see ToolCallAuthentication),
        // and so do tool calls whose built-in access token was validated before (ValidatedAccessTokens).
        var validated = app.Services.GetService<ValidatedAccessTokens>();
        if (validated is not null)
        {
            app.Use(validated.TakeKeptAsync);
        }

        app.UseWhen(ToolCallAuthentication.NeedsAuthentication, branch =>
        {
            branch.UseAuthentication();
            if (validated is not null)
            {
                branch.Use(validated.KeepValidatedAsync);
            }
        });
        // The branch's UseAuthentication marks only the branch: without this mark WebApplication would add the
        // authentication middleware again, first in the pipeline, for every request.
        ((IApplicationBuilder)app).Properties[ToolCallAuthentication.AuthenticationMiddlewareSetKey] = true;
        var gate = app.Services.GetRequiredService<ResourceServerGate>();
        app.Use((context, next) => gate.InvokeAsync(context, next, builtIn));
        return app;
    }

    /// <summary>True when this server issues its own tokens (no external issuer, mode not none).</summary>
    public static bool HasBuiltInAuthorizationServer(this IServiceProvider services) => services.GetService<Connections>() is not null;

    internal static AuthOptions Auth(this IServiceProvider services) => services.GetRequiredService<IOptions<AuthOptions>>().Value;

    /// <summary>Marks that <c>Auth:Jwt</c> configured an external issuer.</summary>
    private sealed class ExternalIssuer;
}
