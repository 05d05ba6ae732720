namespace LnbitsMcp.Server.L402;

/// <summary>
/// One L402 challenge of a <c>402 Payment Required</c> answer: the token (<c>token=</c>, or the older
/// <c>macaroon=</c>) and the invoice whose preimage completes it. <paramref name="Scheme"/> is <c>L402</c> or the
/// former <c>LSAT</c>; the credential is sent back under the scheme that was offered.
/// </summary>
public sealed record L402Challenge(string Scheme, string Token, string Invoice)
{
    /// <summary>The <c>Authorization</c> value once the invoice is paid: <c>L402 &lt;token&gt;:&lt;preimage&gt;</c>.</summary>
    public string AuthorizationFor(string preimage) => $"{Scheme} {Token}:{preimage}";
}
