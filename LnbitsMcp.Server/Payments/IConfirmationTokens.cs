namespace LnbitsMcp.Server.Payments;

/// <summary>
/// One-time confirmation tokens for clients without elicitation: issued with a
/// <c>confirmation_required</c> error, bound to one session and one payment, valid briefly.
/// </summary>
public interface IConfirmationTokens
{
    Task<string> IssueAsync(string ledgerKey, string paymentSubject, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>True once for a live token issued to this session for this payment; the token is then spent.</summary>
    Task<bool> RedeemAsync(string token, string ledgerKey, string paymentSubject, CancellationToken cancellationToken);
}
