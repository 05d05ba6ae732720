using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace LnbitsMcp.Server.Auth;

public static class CallerAuthExtensions
{
    /// <summary>JWT bearer validation when <c>Auth:Jwt</c> is configured (see <see cref="CallerAuthOptions"/>).</summary>
    public static IHostApplicationBuilder AddCallerAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(CallerAuthOptions.SectionName).Get<CallerAuthOptions>() ?? new CallerAuthOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        if (options.SigningKey is { Length: > 0 and < 32 })
        {
            throw new InvalidOperationException("Auth:Jwt:SigningKey must be at least 32 characters.");
        }

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
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Authenticates callers; a request that carries a bearer token that does not validate gets 401.</summary>
    public static WebApplication UseCallerAuth(this WebApplication app)
    {
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is null)
        {
            return app;
        }

        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && context.User.Identity?.IsAuthenticated != true)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await RequestGuards.WriteJsonRpcErrorAsync(context, StatusCodes.Status401Unauthorized, "The bearer token is invalid or expired.");
                return;
            }

            await next(context);
        });
        return app;
    }
}
