using System.Security.Claims;
using System.Security.Cryptography;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using System.Text.Json;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// The checks OpenIddict's degraded mode leaves to the host: which clients and redirect URIs exist
/// (registrations and metadata documents), client authentication, the resource (RFC 8707), one use of each
/// authorization code, refresh-token rotation and revocation, all against <see cref="IOAuthStore"/>.
/// </summary>
public static class AuthorizationServerHandlers
{
    public const string ClientProperty = "lnbits_mcp.client";

    /// <summary>The authorization request names a known client, one of its redirect URIs and this server as resource.</summary>
    public sealed class ValidateAuthorizationRequest(OAuthClients clients, PublicUrls urls) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
    {
        public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
        {
            var request = context.Transaction.GetHttpRequest()!;
            var client = await clients.FindAsync(context.ClientId, context.CancellationToken);
            if (client is null)
            {
                context.Reject(Errors.InvalidClient, "This client is unknown: it is neither registered nor a reachable client metadata document.");
                return;
            }

            if (string.IsNullOrEmpty(context.RedirectUri) || !RedirectUris.Matches(client.RedirectUris, context.RedirectUri))
            {
                context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                return;
            }

            if (!ResourceIsThisServer(context.Request, urls.McpResource(request)))
            {
                context.Reject(Errors.InvalidTarget, "The resource must be this server's MCP URL.");
                return;
            }

            context.Transaction.Properties[ClientProperty] = client;
        }
    }

    /// <summary>Token requests: a known client that authenticates as registered, and this server as resource.</summary>
    public sealed class ValidateTokenRequest(OAuthClients clients, PublicUrls urls) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            var request = context.Transaction.GetHttpRequest()!;
            var client = await clients.FindAsync(context.ClientId, context.CancellationToken);
            if (client is null || !OAuthClients.Authenticates(client, context.ClientSecret))
            {
                context.Reject(Errors.InvalidClient, "The client is unknown or did not authenticate as registered.");
                return;
            }

            if (!ResourceIsThisServer(context.Request, urls.McpResource(request)))
            {
                context.Reject(Errors.InvalidTarget, "The resource must be this server's MCP URL.");
            }
        }
    }

    /// <summary>
    /// After OpenIddict validated the code (client, redirect URI, PKCE verifier) or the refresh token: a code is
    /// redeemed once (a replay revokes the connection), a refresh token is used once (a reuse revokes the
    /// connection), the connection must still exist; the new refresh token gets a fresh id.
    /// </summary>
    public sealed class RedeemOnce(IOAuthStore store, Connections connections, Microsoft.Extensions.Options.IOptions<AuthOptions> options)
        : IOpenIddictServerHandler<HandleTokenRequestContext>
    {
        public async ValueTask HandleAsync(HandleTokenRequestContext context)
        {
            if (context.Principal is not { } principal)
            {
                return;
            }

            var aborted = context.CancellationToken;
            string expected;
            if (context.Request.IsAuthorizationCodeGrantType())
            {
                var codeId = principal.GetClaim(OAuthScopes.CodeIdClaim);
                if (codeId is null)
                {
                    context.Reject(Errors.InvalidGrant, "This authorization code was not issued for a connection.");
                    return;
                }

                if (!await store.MarkCodeRedeemedAsync(codeId, options.Value.AuthorizationCodeLifetime + TimeSpan.FromMinutes(1), aborted))
                {
                    await connections.RevokeAsync(principal, aborted); // RFC 9700 §4.5.3.1: tokens from a replayed code are revoked
                    context.Reject(Errors.InvalidGrant, "The authorization code has already been used.");
                    return;
                }

                expected = CodeRefreshId(codeId);
            }
            else if (context.Request.IsRefreshTokenGrantType())
            {
                expected = principal.GetClaim(OAuthScopes.RefreshIdClaim) ?? string.Empty;
            }
            else
            {
                context.Reject(Errors.UnsupportedGrantType, "Only authorization_code and refresh_token are supported.");
                return;
            }

            var next = NewId();
            switch (await connections.RotateAsync(principal, expected, next, aborted))
            {
                case RefreshRotation.Rotated:
                    break;
                case RefreshRotation.Reused:
                    context.Reject(Errors.InvalidGrant, "This refresh token was already used; the connection has been revoked. Connect again.");
                    return;
                default:
                    context.Reject(Errors.InvalidGrant, "This connection was revoked or has expired. Connect again.");
                    return;
            }

            var identity = new ClaimsIdentity(principal.Claims, principal.Identity?.AuthenticationType, Claims.Subject, Claims.Role);
            identity.RemoveClaims(OAuthScopes.CodeIdClaim);
            identity.SetClaim(OAuthScopes.RefreshIdClaim, next);
            var renewed = new ClaimsPrincipal(identity);
            renewed.SetDestinations(ClaimDestinations);
            context.Principal = renewed;
        }
    }

    /// <summary>Revoking any token of a connection (by its client) revokes the whole connection.</summary>
    public sealed class ValidateRevocationRequest(OAuthClients clients) : IOpenIddictServerHandler<ValidateRevocationRequestContext>
    {
        public async ValueTask HandleAsync(ValidateRevocationRequestContext context)
        {
            var request = context.Transaction.GetHttpRequest()!;
            var client = await clients.FindAsync(context.ClientId, context.CancellationToken);
            if (client is null || !OAuthClients.Authenticates(client, context.ClientSecret))
            {
                context.Reject(Errors.InvalidClient, "The client is unknown or did not authenticate as registered.");
            }
        }
    }

    public sealed class RevokeConnection(Connections connections) : IOpenIddictServerHandler<HandleRevocationRequestContext>
    {
        public async ValueTask HandleAsync(HandleRevocationRequestContext context)
        {
            if (context.GenericTokenPrincipal is { } principal)
            {
                await connections.RevokeAsync(principal, context.CancellationToken);
            }
        }
    }

    /// <summary>RFC 8414 metadata beyond what OpenIddict writes: registration, metadata documents, public clients.</summary>
    public sealed class DescribeServer(PublicUrls urls) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
    {
        private static readonly string[] s_authMethods = ["none", ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.ClientSecretPost];
        private static readonly string[] s_codeChallengeMethods = [CodeChallengeMethods.Sha256];

        public ValueTask HandleAsync(HandleConfigurationRequestContext context)
        {
            var request = context.Transaction.GetHttpRequest()!;
            context.Metadata["registration_endpoint"] = urls.Absolute(request, ClientRegistrationEndpoint.Path);
            context.Metadata["client_id_metadata_document_supported"] = true;
            context.Metadata["authorization_response_iss_parameter_supported"] = true;
            context.Metadata[Metadata.TokenEndpointAuthMethodsSupported] = JsonSerializer.SerializeToElement(s_authMethods);
            context.Metadata[Metadata.RevocationEndpointAuthMethodsSupported] = JsonSerializer.SerializeToElement(s_authMethods);
            context.Metadata[Metadata.CodeChallengeMethodsSupported] = JsonSerializer.SerializeToElement(s_codeChallengeMethods);
            context.Metadata["resource_documentation"] = urls.Absolute(request, "/connections");
            return default;
        }
    }

    /// <summary>
    /// The issuer as clients compare it: the public base URL without a trailing slash, exactly as the protected
    /// resource metadata names the authorization server (RFC 8414 §3.3), in the metadata and in every
    /// authorization response's <c>iss</c> (RFC 9207).
    /// </summary>
    public sealed class NameIssuerInMetadata(PublicUrls urls) : IOpenIddictServerHandler<ApplyConfigurationResponseContext>
    {
        public ValueTask HandleAsync(ApplyConfigurationResponseContext context)
        {
            context.Response[Metadata.Issuer] = urls.Base(context.Transaction.GetHttpRequest()!);
            return default;
        }
    }

    public sealed class NameIssuerInResponse(PublicUrls urls) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
    {
        public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.Response.Iss))
            {
                context.Response.Iss = urls.Base(context.Transaction.GetHttpRequest()!);
            }

            return default;
        }
    }

    /// <summary>The refresh id a connection holds between issuing a code and redeeming it.</summary>
    public static string CodeRefreshId(string codeId) => "code:" + codeId;

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Access tokens carry the subject, scopes and connection; every other claim stays inside codes and refresh tokens.</summary>
    public static IEnumerable<string> ClaimDestinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or OAuthScopes.ConnectionClaim or OAuthScopes.ClientNameClaim => [Destinations.AccessToken],
        _ => [],
    };

    private static bool ResourceIsThisServer(OpenIddictRequest request, string canonical)
    {
        var resources = request.GetResources();
        return resources.All(r => string.Equals(r.TrimEnd('/'), canonical, StringComparison.Ordinal));
    }
}
