using System.Text.Json.Serialization;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// What a session holds for one origin: the challenge it answers (scheme, token, invoice, payment hash) and how far
/// it got — <see cref="L402CredentialStates.Unpaid"/> (waiting for the person's confirmation: the same invoice is
/// paid when the call is repeated), <see cref="L402CredentialStates.Pending"/> (sent, LNbits has not settled it:
/// never paid again, its status is asked instead) or <see cref="L402CredentialStates.Paid"/> (with the preimage:
/// reused for every request to the origin). Token and preimage are secrets: stored encrypted, never logged.
/// </summary>
/// <param name="Resource">The request the challenge answered (method and URL): an unpaid challenge is paid only for it.</param>
public sealed record L402Credential(string State, string Scheme, string Token, string Invoice, string PaymentHash, long AmountSat, string? Preimage, string Resource)
{
    [JsonIgnore]
    public L402Challenge Challenge => new(Scheme, Token, Invoice);

    /// <summary>The <c>Authorization</c> value of a paid credential.</summary>
    [JsonIgnore]
    public string Authorization => Challenge.AuthorizationFor(Preimage ?? throw new InvalidOperationException("The credential is not paid."));

    public override string ToString() => $"L402Credential {{ State = {State}, PaymentHash = {PaymentHash}, AmountSat = {AmountSat} }}";
}

public static class L402CredentialStates
{
    public const string Unpaid = "unpaid";
    public const string Pending = "pending";
    public const string Paid = "paid";
}

[JsonSerializable(typeof(L402Credential))]
internal sealed partial class L402CredentialJson : JsonSerializerContext;
