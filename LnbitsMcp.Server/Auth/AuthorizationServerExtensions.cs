using System.Security.Cryptography;
using LnbitsMcp.Server.Security;
using Microsoft.IdentityModel.Tokens;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// The built-in OAuth 2.1 authorization server (OpenIddict in degraded mode: no database; clients, codes,
/// refresh tokens and connections live in <see cref="IOAuthStore"/>) and the validation of its tokens.
/// Every token is protected with ASP.NET Core Data Protection, whose key ring is shared through Redis, so any
/// instance validates what another issued. Authorization code + PKCE S256 only; refresh tokens rotate.
/// </summary>
public static class AuthorizationServerExtensions
{
    public const string AuthorizePath = "/oauth/authorize";
    public const string TokenPath = "/oauth/token";
    public const string RevokePath = "/oauth/revoke";
    public const string MetadataPath = "/.well-known/oauth-authorization-server";
    public const string OpenIdMetadataPath = "/.well-known/openid-configuration";

    public static IHostApplicationBuilder AddAuthorizationServer(this IHostApplicationBuilder builder, AuthOptions auth)
    {
        // OpenIddict logs whole token requests (code_verifier included) at Information: keep its logs to warnings.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ClientMetadataDocuments>();
        builder.Services.AddSingleton<OAuthClients>();
        builder.Services.AddSingleton(_ => new ConnectionLiveness(TimeProvider.System)); // real time between instances, whatever clock the app runs on
        builder.Services.AddSingleton<Connections>();
        builder.Services.AddSingleton<ValidatedAccessTokens>();

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: a metadata document is fetched once, not retried.
        builder.Services.AddHttpClient(ClientMetadataDocuments.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllResilienceHandlers()
            .AddSsrfGuard()
            .ConfigurePrimaryHttpMessageHandler((handler, services) =>
            {
                if (handler is SocketsHttpHandler sockets
                    && ClientMetadataDocuments.LoopbackCertificatePolicy(services.GetRequiredService<IOptions<SsrfGuardOptions>>().Value) is { } policy)
                {
                    sockets.SslOptions.RemoteCertificateValidationCallback = policy;
                }
            });
#pragma warning restore EXTEXP0001

        builder.Services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetRevocationEndpointUris(RevokePath.TrimStart('/'))
                    .SetConfigurationEndpointUris(MetadataPath.TrimStart('/'), OpenIdMetadataPath.TrimStart('/'));
                server.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .RequireProofKeyForCodeExchange()
                    .Configure(options =>
                    {
                        options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
                        options.JsonWebKeySetEndpointUris.Clear(); // no JWTs are issued: nothing to publish
                        options.Scopes.Remove(Scopes.OpenId);
                    });
                server.RegisterScopes(OAuthScopes.WalletRead, OAuthScopes.WalletPay, Scopes.OfflineAccess);
                server.EnableDegradedMode();
                server.DisableResourceValidation(); // the resource is this server's public MCP URL, checked per request by our handlers
                server.SetAccessTokenLifetime(auth.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(auth.RefreshTokenLifetime)
                    .SetAuthorizationCodeLifetime(auth.AuthorizationCodeLifetime);
                if (auth.PublicUrl is { } publicUrl)
                {
                    server.SetIssuer(publicUrl);
                }

                // Every token is a Data Protection payload (key ring in Redis); OpenIddict still wants JWT keys
                // at start, which sign and encrypt nothing here (no identity tokens, no JWKS endpoint): cheap
                // throwaway ones (an RSA key would cost seconds of start-up on a small machine).
                server.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)))
                    .AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
                server.UseDataProtection();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableErrorPassthrough()
                    .DisableTransportSecurityRequirement(); // TLS ends at the edge or the platform ingress

                server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.ValidateAuthorizationRequest>());
                server.AddEventHandler<ValidateTokenRequestContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.ValidateTokenRequest>());
                server.AddEventHandler<HandleTokenRequestContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.RedeemOnce>()
                    .SetOrder(OpenIddict.Server.OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000));
                server.AddEventHandler<ValidateRevocationRequestContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.ValidateRevocationRequest>());
                server.AddEventHandler<HandleRevocationRequestContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.RevokeConnection>()
                    .SetOrder(OpenIddict.Server.OpenIddictServerHandlers.Revocation.AttachPrincipal.Descriptor.Order + 1_000));
                server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.DescribeServer>());
                server.AddEventHandler<ApplyConfigurationResponseContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.NameIssuerInMetadata>()
                    .SetOrder(int.MinValue + 50_000));
                server.AddEventHandler<ApplyAuthorizationResponseContext>(handler => handler
                    .UseScopedHandler<AuthorizationServerHandlers.NameIssuerInResponse>()
                    .SetOrder(OpenIddict.Server.OpenIddictServerHandlers.Authentication.AttachIssuer.Descriptor.Order + 1_000));
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseDataProtection();
                validation.UseAspNetCore()
                    .DisableAccessTokenExtractionFromBodyForm()
                    .DisableAccessTokenExtractionFromQueryString(); // tokens only in the Authorization header
            });

        // Tokens, codes, sessions and connections all live by the one clock the app uses.
        builder.Services.AddOptions<OpenIddict.Server.OpenIddictServerOptions>().Configure<TimeProvider>((options, time) => options.TimeProvider = time);
        builder.Services.AddOptions<OpenIddict.Validation.OpenIddictValidationOptions>().Configure<TimeProvider>((options, time) => options.TimeProvider = time);
        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        return builder;
    }
}
