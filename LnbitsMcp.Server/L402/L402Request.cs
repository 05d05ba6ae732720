namespace LnbitsMcp.Server.L402;

/// <summary>The request <c>pay_l402</c> makes (and repeats with the credential): checked arguments.</summary>
public sealed record L402Request(Uri Url, HttpMethod Method, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The origin a credential belongs to: <c>scheme://host:port</c>.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>Method and URL: a challenge kept for confirmation is paid only for the same request.</summary>
    public string Resource => $"{Method.Method} {Url.AbsoluteUri}";
}

/// <summary>An answer of the resource: status, content type, the (guard-capped) body, its L402 challenge headers and where it came from.</summary>
public sealed record L402Response(int Status, string? ContentType, string? Charset, byte[] Body, IReadOnlyList<string> Challenges, Uri FinalUrl)
{
    /// <summary>402, or a 401 that carries an L402 challenge (a server refusing a credential, RFC 7235).</summary>
    public bool AsksForPayment => Status is 402 || (Status is 401 && L402ChallengeParser.Parse(Challenges, out _) is not null);
}
