namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Pending payment approvals, shared by every server instance (Redis) or kept in this process. Every change
/// is atomic: an approval is decided once, and an approved payment is used once, however many calls race.
/// </summary>
public interface IPaymentApprovalStore
{
    /// <summary>Saves a new pending approval under the hash of <paramref name="id"/>, kept a while past its expiry.</summary>
    Task CreateAsync(string id, PaymentApproval approval, CancellationToken cancellationToken);

    /// <summary>The approval with its current status, or null.</summary>
    Task<PaymentApproval?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The person's (or the clock's) decision: a pending approval becomes <paramref name="decision"/>
    /// (<see cref="ApprovalStatus.Approved"/>, <see cref="ApprovalStatus.Declined"/> or
    /// <see cref="ApprovalStatus.Expired"/>), or <see cref="ApprovalStatus.Expired"/> when its time has passed.
    /// A decided approval is left as it is.
    /// </summary>
    Task<ApprovalChange> DecideAsync(string id, ApprovalStatus decision, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Redeems an approval for one payment: only the caller it was issued to, for the same payment. An
    /// approved, unexpired approval becomes <see cref="ApprovalStatus.Used"/> (changed: pay now); one past its
    /// expiry becomes <see cref="ApprovalStatus.Expired"/>; otherwise the status is reported unchanged. Another
    /// caller's or another payment's approval is reported as missing and left untouched.
    /// </summary>
    Task<ApprovalChange> UseAsync(string id, string ledgerKey, string subjectHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks a one-use value (a request state's nonce) used; false when it already was.</summary>
    Task<bool> UseOnceAsync(string nonce, TimeSpan lifetime, CancellationToken cancellationToken);
}
