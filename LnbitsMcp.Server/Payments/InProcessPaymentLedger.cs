namespace LnbitsMcp.Server.Payments;

/// <summary>The ledger of a single server instance (no Redis).</summary>
public sealed class InProcessPaymentLedger : IPaymentLedger
{
    private static readonly TimeSpan s_day = TimeSpan.FromHours(24);
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);
    private readonly Dictionary<string, Book> _books = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<LedgerDecision> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var wallet = BookOf(request.WalletKey);
            var caller = CallerBookOf(request.WalletKey, request.LedgerKey);
            wallet.Forget(request.Now - s_day);
            caller.Forget(request.Now - s_day);
            if (request.PaymentHash is not null && wallet.Hashes.Contains(request.PaymentHash))
            {
                return Task.FromResult<LedgerDecision>(new LedgerDecision.AlreadyPaid());
            }

            var (walletSpent, callerSpent) = (wallet.Spent, caller.Spent);
            if (walletSpent + request.AmountMsat > request.WalletDailyBudgetMsat || callerSpent + request.AmountMsat > request.DailyBudgetMsat)
            {
                var left = Math.Min(request.WalletDailyBudgetMsat - walletSpent, request.DailyBudgetMsat - callerSpent);
                var spent = request.WalletDailyBudgetMsat - walletSpent <= request.DailyBudgetMsat - callerSpent ? walletSpent : callerSpent;
                return Task.FromResult<LedgerDecision>(new LedgerDecision.BudgetExceeded(spent, Math.Max(0, left)));
            }

            var (walletHour, callerHour) = (wallet.CountSince(request.Now - s_hour), caller.CountSince(request.Now - s_hour));
            if (walletHour >= request.WalletMaxPaymentsPerHour || callerHour >= request.MaxPaymentsPerHour)
            {
                return Task.FromResult<LedgerDecision>(new LedgerDecision.RateExceeded(Math.Max(walletHour, callerHour)));
            }

            var reservation = new PaymentReservation(request.LedgerKey, request.PaymentHash, Guid.NewGuid().ToString("N"), request.AmountMsat) { WalletKey = request.WalletKey };
            var entry = new Entry(reservation.ReservationId, request.AmountMsat, request.Now);
            wallet.Entries.Add(entry);
            if (!ReferenceEquals(caller, wallet))
            {
                caller.Entries.Add(entry);
            }

            if (request.PaymentHash is not null)
            {
                wallet.Hashes.Add(request.PaymentHash);
            }

            return Task.FromResult<LedgerDecision>(new LedgerDecision.Reserved(reservation));
        }
    }

    public Task ReleaseAsync(PaymentReservation reservation, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var wallet = BookOf(reservation.WalletKey);
            wallet.Entries.RemoveAll(e => e.ReservationId == reservation.ReservationId);
            CallerBookOf(reservation.WalletKey, reservation.LedgerKey).Entries.RemoveAll(e => e.ReservationId == reservation.ReservationId);
            if (reservation.PaymentHash is not null)
            {
                wallet.Hashes.Remove(reservation.PaymentHash);
            }
        }

        return Task.CompletedTask;
    }

    public Task<LedgerUsage> GetUsageAsync(string walletKey, string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new LedgerUsage(Usage(BookOf(walletKey), now), Usage(CallerBookOf(walletKey, ledgerKey), now)));
        }
    }

    public Task<bool> HoldsHashAsync(string walletKey, string paymentHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(BookOf(walletKey).Hashes.Contains(paymentHash));
        }
    }

    private static BudgetUsage Usage(Book book, DateTimeOffset now)
    {
        book.Forget(now - s_day);
        return new BudgetUsage(book.Spent, book.CountSince(now - s_hour));
    }

    private Book CallerBookOf(string walletKey, string ledgerKey) =>
        walletKey == ledgerKey ? BookOf(walletKey) : BookOf(walletKey + "\n" + ledgerKey);

    private Book BookOf(string key)
    {
        if (!_books.TryGetValue(key, out var book))
        {
            _books[key] = book = new Book();
        }

        return book;
    }

    private sealed class Book
    {
        public List<Entry> Entries { get; } = [];

        /// <summary>Hashes paid or being paid (wallet books only). Kept past the budget window: a hash is never paid twice.</summary>
        public HashSet<string> Hashes { get; } = new(StringComparer.Ordinal);

        public long Spent => Entries.Sum(e => e.AmountMsat);

        public int CountSince(DateTimeOffset since) => Entries.Count(e => e.At > since);

        public void Forget(DateTimeOffset before) => Entries.RemoveAll(e => e.At <= before);
    }

    private sealed record Entry(string ReservationId, long AmountMsat, DateTimeOffset At);
}
