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
            var book = BookOf(request.LedgerKey);
            book.Forget(request.Now - s_day);
            if (request.PaymentHash is not null && book.Hashes.Contains(request.PaymentHash))
            {
                return Task.FromResult<LedgerDecision>(new LedgerDecision.AlreadyPaid());
            }

            var spent = book.Entries.Sum(e => e.AmountMsat);
            if (spent + request.AmountMsat > request.DailyBudgetMsat)
            {
                return Task.FromResult<LedgerDecision>(new LedgerDecision.BudgetExceeded(spent, Math.Max(0, request.DailyBudgetMsat - spent)));
            }

            var lastHour = book.Entries.Count(e => e.At > request.Now - s_hour);
            if (lastHour >= request.MaxPaymentsPerHour)
            {
                return Task.FromResult<LedgerDecision>(new LedgerDecision.RateExceeded(lastHour));
            }

            var reservation = new PaymentReservation(request.LedgerKey, request.PaymentHash, Guid.NewGuid().ToString("N"), request.AmountMsat);
            book.Entries.Add(new Entry(reservation.ReservationId, request.AmountMsat, request.Now));
            if (request.PaymentHash is not null)
            {
                book.Hashes.Add(request.PaymentHash);
            }

            return Task.FromResult<LedgerDecision>(new LedgerDecision.Reserved(reservation));
        }
    }

    public Task ReleaseAsync(PaymentReservation reservation, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var book = BookOf(reservation.LedgerKey);
            book.Entries.RemoveAll(e => e.ReservationId == reservation.ReservationId);
            if (reservation.PaymentHash is not null)
            {
                book.Hashes.Remove(reservation.PaymentHash);
            }
        }

        return Task.CompletedTask;
    }

    public Task<BudgetUsage> GetUsageAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var book = BookOf(ledgerKey);
            book.Forget(now - s_day);
            return Task.FromResult(new BudgetUsage(book.Entries.Sum(e => e.AmountMsat), book.Entries.Count(e => e.At > now - s_hour)));
        }
    }

    public Task<bool> HoldsHashAsync(string ledgerKey, string paymentHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(BookOf(ledgerKey).Hashes.Contains(paymentHash));
        }
    }

    private Book BookOf(string ledgerKey)
    {
        if (!_books.TryGetValue(ledgerKey, out var book))
        {
            _books[ledgerKey] = book = new Book();
        }

        return book;
    }

    private sealed class Book
    {
        public List<Entry> Entries { get; } = [];

        /// <summary>Hashes paid or being paid. Kept past the budget window: a hash is never paid twice.</summary>
        public HashSet<string> Hashes { get; } = new(StringComparer.Ordinal);

        public void Forget(DateTimeOffset before) => Entries.RemoveAll(e => e.At <= before);
    }

    private sealed record Entry(string ReservationId, long AmountMsat, DateTimeOffset At);
}
