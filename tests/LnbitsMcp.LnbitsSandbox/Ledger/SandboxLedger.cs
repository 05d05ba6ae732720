namespace LnbitsMcp.LnbitsSandbox.Ledger;

/// <summary>All sandbox state: users, wallets, payments. Every read and write happens under <see cref="Gate"/>,
/// so a payment's checks and its rows are one atomic step.</summary>
internal sealed class SandboxLedger
{
    private readonly Dictionary<string, SandboxUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxWallet> _wallets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SandboxWallet Wallet, KeyType Type)> _keys = new(StringComparer.Ordinal);
    private readonly List<PaymentRecord> _payments = [];
    private long _sequence;

    public Lock Gate { get; } = new();

    public IReadOnlyList<PaymentRecord> Payments => _payments;

    public IEnumerable<SandboxWallet> Wallets => _wallets.Values.OrderBy(w => w.CreatedAt);

    public T Locked<T>(Func<SandboxLedger, T> action)
    {
        lock (Gate)
        {
            return action(this);
        }
    }

    public void AddUser(SandboxUser user) => _users.Add(user.Id, user);

    public SandboxUser? FindUser(string id) => _users.GetValueOrDefault(id);

    public SandboxUser? FindUserByUsername(string username) =>
        _users.Values.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.Ordinal));

    public void AddWallet(SandboxWallet wallet)
    {
        _wallets.Add(wallet.Id, wallet);
        _keys.Add(wallet.AdminKey, (wallet, KeyType.Admin));
        _keys.Add(wallet.InKey, (wallet, KeyType.Invoice));
    }

    public SandboxWallet? FindWallet(string id) => _wallets.GetValueOrDefault(id);

    public (SandboxWallet Wallet, KeyType Type)? FindByKey(string key) =>
        _keys.TryGetValue(key, out var found) ? found : null;

    public SandboxWallet? FindByLightningUser(string user) =>
        _wallets.Values.FirstOrDefault(w => string.Equals(w.LightningUser, user, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<SandboxWallet> WalletsOf(string userId) =>
        [.. _wallets.Values.Where(w => w.UserId == userId).OrderBy(w => w.CreatedAt)];

    public long BalanceMsat(string walletId) =>
        _payments.Where(p => p.WalletId == walletId && p.CountsToBalance).Sum(p => p.Amount - Math.Abs(p.Fee));

    public void AddPayment(PaymentRecord payment)
    {
        payment.Sequence = ++_sequence;
        _payments.Add(payment);
    }

    /// <summary>LNbits' <c>get_standalone_payment</c>: match checking_id or payment_hash, optionally one wallet
    /// or incoming only, <c>ORDER BY amount LIMIT 1</c>.</summary>
    public PaymentRecord? FindStandalone(string checkingIdOrHash, string? walletId = null, bool incomingOnly = false) =>
        _payments
            .Where(p => p.CheckingId == checkingIdOrHash || p.PaymentHash == checkingIdOrHash)
            .Where(p => walletId is null || p.WalletId == walletId)
            .Where(p => !incomingOnly || p.IsIncoming)
            .OrderBy(p => p.Amount)
            .ThenBy(p => p.Sequence)
            .FirstOrDefault();

    /// <summary>The pending incoming row of an invoice of this instance (LNbits' <c>check_internal</c>).</summary>
    public PaymentRecord? FindInternalPending(string paymentHash) =>
        _payments.FirstOrDefault(p => p.PaymentHash == paymentHash && p.IsIncoming && p.IsPending);

    /// <summary>LNbits' <c>is_internal_status_success</c>.</summary>
    public bool IsInternalSuccess(string paymentHash) =>
        _payments.FirstOrDefault(p => p.PaymentHash == paymentHash && p.IsIncoming) is { IsSuccess: true };
}
