using System.Globalization;
using LnbitsMcp.Server.Sessions;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The ledger in Redis: one Lua script checks the wallet's paid-hash set, the wallet's rolling 24-hour
/// budget and hourly count and the caller's sub-ledger, and records the reservation in both, atomically
/// across every server instance. Every key is passed as KEYS and shares the wallet's hash tag
/// (<see cref="RedisKeys.Ledger"/>), so this works on a Redis Cluster too; a reservation is held by a
/// replica before the payment goes out, so a failover cannot forget it.
/// </summary>
public sealed class RedisPaymentLedger(IConnectionMultiplexer redis) : IPaymentLedger
{
    private static readonly TimeSpan s_day = TimeSpan.FromHours(24);
    private static readonly TimeSpan s_paidHashLifetime = TimeSpan.FromDays(7);

    // Forgets entries older than a day, then sums the day's msat (members are "id:amount") and counts
    // the last hour's payments (scores are times).
    private const string SumBudget = """
        local function usage(budgetKey, dayAgo, hourAgo)
          redis.call('ZREMRANGEBYSCORE', budgetKey, '-inf', dayAgo)
          local entries = redis.call('ZRANGE', budgetKey, 0, -1, 'WITHSCORES')
          local spent, lastHour = 0, 0
          for i = 1, #entries, 2 do
            spent = spent + tonumber(string.match(entries[i], ':(%d+)$'))
            if tonumber(entries[i + 1]) > tonumber(hourAgo) then lastHour = lastHour + 1 end
          end
          return spent, lastHour
        end
        """;

    private static readonly LuaScript s_reserve = LuaScript.Prepare($$"""
        {{SumBudget}}
        if @hash ~= '' and redis.call('SISMEMBER', @paidKey, @hash) == 1 then return {'already_paid', '0', '0'} end
        local walletSpent, walletHour = usage(@budgetKey, @dayAgo, @hourAgo)
        local callerSpent, callerHour = usage(@callerKey, @dayAgo, @hourAgo)
        local amount = tonumber(@amount)
        local walletLeft, callerLeft = tonumber(@walletBudget) - walletSpent, tonumber(@budget) - callerSpent
        if amount > walletLeft or amount > callerLeft then
          if walletLeft <= callerLeft then return {'budget', tostring(walletSpent), tostring(walletLeft)} end
          return {'budget', tostring(callerSpent), tostring(callerLeft)}
        end
        if walletHour >= tonumber(@walletMaxPerHour) or callerHour >= tonumber(@maxPerHour) then
          return {'rate', tostring(math.max(walletHour, callerHour)), '0'}
        end
        for _, key in ipairs({@budgetKey, @callerKey}) do
          redis.call('ZADD', key, @now, @member)
          redis.call('PEXPIRE', key, @dayMs)
        end
        if @hash ~= '' then
          redis.call('SADD', @paidKey, @hash)
          redis.call('PEXPIRE', @paidKey, @paidMs)
        end
        return {'ok', '0', '0'}
        """);

    private static readonly LuaScript s_release = LuaScript.Prepare("""
        redis.call('ZREM', @budgetKey, @member)
        redis.call('ZREM', @callerKey, @member)
        if @hash ~= '' then redis.call('SREM', @paidKey, @hash) end
        return 1
        """);

    private static readonly LuaScript s_usage = LuaScript.Prepare($$"""
        {{SumBudget}}
        local walletSpent, walletHour = usage(@budgetKey, @dayAgo, @hourAgo)
        local callerSpent, callerHour = usage(@callerKey, @dayAgo, @hourAgo)
        return {tostring(walletSpent), tostring(walletHour), tostring(callerSpent), tostring(callerHour)}
        """);

    public async Task<LedgerDecision> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
    {
        var reservationId = Guid.NewGuid().ToString("N");
        var member = $"{reservationId}:{request.AmountMsat}";
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_reserve, new
        {
            paidKey = (RedisKey)RedisKeys.PaidHashes(request.WalletKey),
            budgetKey = (RedisKey)RedisKeys.Budget(request.WalletKey),
            callerKey = (RedisKey)RedisKeys.CallerBudget(request.WalletKey, request.LedgerKey),
            hash = request.PaymentHash ?? string.Empty,
            amount = request.AmountMsat,
            budget = request.DailyBudgetMsat,
            walletBudget = request.WalletDailyBudgetMsat,
            maxPerHour = request.MaxPaymentsPerHour,
            walletMaxPerHour = request.WalletMaxPaymentsPerHour,
            now = request.Now.ToUnixTimeMilliseconds(),
            dayAgo = (request.Now - s_day).ToUnixTimeMilliseconds(),
            hourAgo = (request.Now - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(),
            member,
            dayMs = (long)(s_day + TimeSpan.FromHours(1)).TotalMilliseconds,
            paidMs = (long)s_paidHashLifetime.TotalMilliseconds,
        }))!;
        var count = long.Parse((string)result[1]!, CultureInfo.InvariantCulture);
        var left = long.Parse((string)result[2]!, CultureInfo.InvariantCulture);
        return (string?)result[0] switch
        {
            "ok" => new LedgerDecision.Reserved(await ReplicatedAsync(new PaymentReservation(request.LedgerKey, request.PaymentHash, member, request.AmountMsat) { WalletKey = request.WalletKey })),
            "already_paid" => new LedgerDecision.AlreadyPaid(),
            "budget" => new LedgerDecision.BudgetExceeded(count, Math.Max(0, left)),
            _ => new LedgerDecision.RateExceeded((int)count),
        };
    }

    /// <summary>
    /// Waits until a replica holds the reservation. If the master fails meanwhile nothing is paid: the
    /// reservation is released when possible, else it may stay (the hash then counts as paid and the
    /// amount as spent; the safe side).
    /// </summary>
    private async Task<PaymentReservation> ReplicatedAsync(PaymentReservation reservation)
    {
        try
        {
            await redis.WaitForReplicaAsync(RedisKeys.Budget(reservation.WalletKey));
            return reservation;
        }
        catch (Exception ex) when (RedisFailure.Is(ex))
        {
            try
            {
                await ReleaseAsync(reservation, CancellationToken.None);
            }
            catch (Exception again) when (RedisFailure.Is(again))
            {
                // Kept: never paid twice, at worst counted once too often.
            }

            throw;
        }
    }

    public Task ReleaseAsync(PaymentReservation reservation, CancellationToken cancellationToken) =>
        redis.GetDatabase().ScriptEvaluateAsync(s_release, new
        {
            paidKey = (RedisKey)RedisKeys.PaidHashes(reservation.WalletKey),
            budgetKey = (RedisKey)RedisKeys.Budget(reservation.WalletKey),
            callerKey = (RedisKey)RedisKeys.CallerBudget(reservation.WalletKey, reservation.LedgerKey),
            member = reservation.ReservationId,
            hash = reservation.PaymentHash ?? string.Empty,
        });

    public Task<bool> HoldsHashAsync(string walletKey, string paymentHash, CancellationToken cancellationToken) =>
        redis.GetDatabase().SetContainsAsync(RedisKeys.PaidHashes(walletKey), paymentHash);

    public async Task<LedgerUsage> GetUsageAsync(string walletKey, string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_usage, new
        {
            budgetKey = (RedisKey)RedisKeys.Budget(walletKey),
            callerKey = (RedisKey)RedisKeys.CallerBudget(walletKey, ledgerKey),
            dayAgo = (now - s_day).ToUnixTimeMilliseconds(),
            hourAgo = (now - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(),
        }))!;
        var values = result.Select(r => long.Parse((string)r!, CultureInfo.InvariantCulture)).ToArray();
        return new LedgerUsage(new BudgetUsage(values[0], (int)values[1]), new BudgetUsage(values[2], (int)values[3]));
    }
}
