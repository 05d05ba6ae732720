namespace LnbitsMcp.Server.Auth;

/// <summary>
/// Optional caller authentication (section <c>Auth:Jwt</c>), off by default. With it, a request's
/// bearer token (a JWT) is validated — by an OpenID <c>Authority</c> and <c>Audience</c>, or by a
/// symmetric <c>SigningKey</c> for development — and sessions belong to the token's subject.
/// Requests without a token stay anonymous; a request with a bad token is refused with 401.
/// </summary>
public sealed class CallerAuthOptions
{
    public const string SectionName = "Auth:Jwt";

    public string? Authority { get; set; }
    public string? Audience { get; set; }
    public string? Issuer { get; set; }

    /// <summary>A development key (at least 32 characters) for HS256 tokens; use Authority in production.</summary>
    public string? SigningKey { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
