using System.Text.Json.Serialization;

namespace LnbitsMcp.Server.Auth;

/// <summary>A client registered with RFC 7591 dynamic registration (its secret only as a SHA-256 hash).</summary>
public sealed record RegisteredClient
{
    [JsonPropertyName("client_id")] public required string ClientId { get; init; }
    [JsonPropertyName("secret_hash")] public string? SecretHash { get; init; }
    [JsonPropertyName("client_name")] public required string ClientName { get; init; }
    [JsonPropertyName("redirect_uris")] public required IReadOnlyList<string> RedirectUris { get; init; }
    [JsonPropertyName("created_at")] public long CreatedAt { get; init; }
}

/// <summary>What the person decided on the connect page, handed to the authorization endpoint once.</summary>
public sealed record ConsentTicket
{
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("client_id")] public required string ClientId { get; init; }
    [JsonPropertyName("redirect_uri")] public required string RedirectUri { get; init; }
    [JsonPropertyName("code_challenge")] public string? CodeChallenge { get; init; }
    [JsonPropertyName("denied")] public bool Denied { get; init; }
    [JsonPropertyName("connection")] public string? ConnectionKey { get; init; }
    [JsonPropertyName("scopes")] public IReadOnlyList<string> Scopes { get; init; } = [];
    [JsonPropertyName("client_name")] public string? ClientName { get; init; }
}

/// <summary>A one-use link that configures an existing MCP session from the connect page (URL-mode elicitation).</summary>
public sealed record SessionLink
{
    [JsonPropertyName("session")] public required string SessionKey { get; init; }
    [JsonPropertyName("elicitation")] public string? ElicitationId { get; init; }
}

/// <summary>One OAuth connection: a client, its owner, the granted scopes and the current refresh token.</summary>
public sealed record ConnectionRecord
{
    public required string ConnectionKey { get; init; }
    public required string OwnerKey { get; init; }
    public required string ClientId { get; init; }
    public required string ClientName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUsedAt { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string? RefreshId { get; init; }
}

[JsonSerializable(typeof(RegisteredClient))]
[JsonSerializable(typeof(ConsentTicket))]
[JsonSerializable(typeof(SessionLink))]
public sealed partial class OAuthJson : JsonSerializerContext;
