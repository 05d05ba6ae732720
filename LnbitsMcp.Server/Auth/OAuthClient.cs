namespace LnbitsMcp.Server.Auth;

/// <summary>A client the authorization server knows: registered (RFC 7591) or described by its metadata document.</summary>
public sealed record OAuthClient(string ClientId, string Name, IReadOnlyList<string> RedirectUris, string? SecretHash, bool FromMetadataDocument)
{
    public bool IsConfidential => SecretHash is not null;
}
