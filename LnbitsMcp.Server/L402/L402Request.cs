namespace LnbitsMcp.Server.L402;

/// <summary>The request <c>pay_l402</c> makes (and repeats with the credential): checked arguments.</summary>
public sealed record L402Request(Uri Url, HttpMethod Method, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The origin a credential belongs to: <c>scheme://host:port</c>.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);
}

/// <summary>An answer of the resource: status, content type, the (guard-capped) body, its L402 challenge headers and where it came from.</summary>
public sealed record L402Response(int Status, string? ContentType, string? Charset, byte[] Body, IReadOnlyList<string> Challenges, Uri FinalUrl)
{
    public bool AsksForPayment => Status is 402 || (Status is 401 && Challenges.Count > 0);
}
