namespace LnbitsMcp.Server.Payments;

/// <summary>Approvals of a single server instance (no Redis).</summary>
public sealed class InProcessPaymentApprovalStore(TimeProvider time) : IPaymentApprovalStore
{
    private readonly Dictionary<string, (PaymentApproval Approval, DateTimeOffset ForgetAt)> _approvals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task CreateAsync(string id, PaymentApproval approval, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Forget();
            _approvals[PaymentApprovals.StorageId(id)] = (approval with { Status = ApprovalStatus.Pending }, PaymentApprovals.ForgetAt(approval));
        }

        return Task.CompletedTask;
    }

    public Task<PaymentApproval?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Forget();
            return Task.FromResult(_approvals.TryGetValue(PaymentApprovals.StorageId(id), out var entry) ? entry.Approval : null);
        }
    }

    public Task<ApprovalChange> DecideAsync(string id, ApprovalStatus decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Forget();
            var key = PaymentApprovals.StorageId(id);
            if (!_approvals.TryGetValue(key, out var entry))
            {
                return Task.FromResult(new ApprovalChange(null, false));
            }

            if (entry.Approval.Status != ApprovalStatus.Pending)
            {
                return Task.FromResult(new ApprovalChange(entry.Approval.Status, false));
            }

            var next = entry.Approval.ExpiresAt <= now ? ApprovalStatus.Expired : decision;
            _approvals[key] = entry with { Approval = entry.Approval with { Status = next } };
            return Task.FromResult(new ApprovalChange(next, true));
        }
    }

    public Task<ApprovalChange> UseAsync(string id, string ledgerKey, string subjectHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Forget();
            var key = PaymentApprovals.StorageId(id);
            if (!_approvals.TryGetValue(key, out var entry) || entry.Approval.LedgerKey != ledgerKey || entry.Approval.SubjectHash != subjectHash)
            {
                return Task.FromResult(new ApprovalChange(null, false));
            }

            var status = entry.Approval.Status;
            ApprovalStatus? next = status switch
            {
                ApprovalStatus.Pending or ApprovalStatus.Approved when entry.Approval.ExpiresAt <= now => ApprovalStatus.Expired,
                ApprovalStatus.Approved => ApprovalStatus.Used,
                _ => null,
            };
            if (next is not { } changed)
            {
                return Task.FromResult(new ApprovalChange(status, false));
            }

            _approvals[key] = entry with { Approval = entry.Approval with { Status = changed } };
            return Task.FromResult(new ApprovalChange(changed, true));
        }
    }

    public Task<bool> UseOnceAsync(string nonce, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Forget();
            return Task.FromResult(_used.TryAdd(PaymentApprovals.StorageId("state:" + nonce), time.GetUtcNow() + lifetime));
        }
    }

    private void Forget()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _approvals.Where(e => e.Value.ForgetAt <= now).ToList())
        {
            _approvals.Remove(key);
        }

        foreach (var (key, _) in _used.Where(e => e.Value <= now).ToList())
        {
            _used.Remove(key);
        }
    }
}
