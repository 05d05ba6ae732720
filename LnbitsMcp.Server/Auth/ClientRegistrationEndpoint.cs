using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// RFC 7591 dynamic client registration at <c>POST /oauth/register</c>: redirect URIs must be https or loopback
/// http; grant types authorization_code (+ refresh_token); <c>token_endpoint_auth_method</c> <c>none</c> (public,
/// the default) or <c>client_secret_basic</c>/<c>client_secret_post</c> (a secret is issued, stored only as a hash).
/// </summary>
public static class ClientRegistrationEndpoint
{
    public const string Path = "/oauth/register";

    private static readonly string[] s_authMethods = ["none", "client_secret_basic", "client_secret_post"];

    public static async Task<IResult> RegisterAsync(HttpRequest request, IOAuthStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        RegistrationRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, RegistrationJson.Default.RegistrationRequest, cancellationToken);
        }
        catch (JsonException)
        {
            return Error("invalid_client_metadata", "The body must be a JSON object of client metadata.");
        }

        if (body?.RedirectUris is not { Count: > 0 } redirects || redirects.Count > 20 || !redirects.All(RedirectUris.IsAcceptable))
        {
            return Error("invalid_redirect_uri", "redirect_uris must list https URLs or loopback http URLs (RFC 8252), without fragments.");
        }

        var method = body.TokenEndpointAuthMethod ?? "none";
        if (!s_authMethods.Contains(method))
        {
            return Error("invalid_client_metadata", "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post.");
        }

        if (body.GrantTypes is { } grants && grants.Any(g => g is not ("authorization_code" or "refresh_token")))
        {
            return Error("invalid_client_metadata", "Only the authorization_code and refresh_token grant types are supported.");
        }

        if (body.ResponseTypes is { } responses && responses.Any(r => r != "code"))
        {
            return Error("invalid_client_metadata", "Only the code response type is supported.");
        }

        var clientId = "mcp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = method == "none" ? null : System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var name = body.ClientName is { Length: > 0 } given ? ClientMetadataDocuments.Truncate(given) : "Unnamed client";
        await store.SaveClientAsync(new RegisteredClient
        {
            ClientId = clientId,
            ClientName = name,
            RedirectUris = redirects,
            SecretHash = secret is null ? null : OAuthClients.HashSecret(secret),
            CreatedAt = now,
        }, cancellationToken);

        var response = new RegistrationResponse(clientId, secret, now, secret is null ? null : 0, name, redirects,
            body.GrantTypes ?? ["authorization_code", "refresh_token"], ["code"], method);
        return Results.Json(response, RegistrationJson.Default.RegistrationResponse, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Error(string code, string description) =>
        Results.Json(new RegistrationError(code, description), RegistrationJson.Default.RegistrationError, statusCode: StatusCodes.Status400BadRequest);
}

public sealed record RegistrationRequest(
    [property: JsonPropertyName("redirect_uris")] List<string>? RedirectUris,
    [property: JsonPropertyName("client_name")] string? ClientName,
    [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod,
    [property: JsonPropertyName("grant_types")] List<string>? GrantTypes,
    [property: JsonPropertyName("response_types")] List<string>? ResponseTypes);

public sealed record RegistrationResponse(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string? ClientSecret,
    [property: JsonPropertyName("client_id_issued_at")] long ClientIdIssuedAt,
    [property: JsonPropertyName("client_secret_expires_at")] long? ClientSecretExpiresAt,
    [property: JsonPropertyName("client_name")] string ClientName,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string> RedirectUris,
    [property: JsonPropertyName("grant_types")] IReadOnlyList<string> GrantTypes,
    [property: JsonPropertyName("response_types")] IReadOnlyList<string> ResponseTypes,
    [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod);

public sealed record RegistrationError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

[JsonSerializable(typeof(RegistrationRequest))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(RegistrationError))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class RegistrationJson : JsonSerializerContext;
