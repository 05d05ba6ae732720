using LnbitsMcp.Server.Sessions;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The ledger in Redis: one Lua script checks the paid-hash set, the rolling 24-hour budget and the
/// hourly count and records the reservation, atomically across every server instance. A ledger's
/// keys share its hash tag (<see cref="RedisKeys.Ledger"/>), so this works on a Redis Cluster too;
/// a reservation is held by a replica before the payment goes out, so a failover cannot forget it.
/// </summary>
public sealed class RedisPaymentLedger(IConnectionMultiplexer redis) : IPaymentLedger
{
    private static readonly TimeSpan s_day = TimeSpan.FromHours(24);
    private static readonly TimeSpan s_paidHashLifetime = TimeSpan.FromDays(7);

    // Forgets entries older than a day, then sums the day's msat (members are "id:amount") and
    // counts the last hour's payments (scores are times).
    private const string SumBudget = """
        redis.call('ZREMRANGEBYSCORE', budgetKey, '-inf', dayAgo)
        local entries = redis.call('ZRANGE', budgetKey, 0, -1, 'WITHSCORES')
        local spent, lastHour = 0, 0
        for i = 1, #entries, 2 do
          spent = spent + tonumber(string.match(entries[i], ':(%d+)$'))
          if tonumber(entries[i + 1]) > tonumber(hourAgo) then lastHour = lastHour + 1 end
        end
        """;

    private static readonly LuaScript s_reserve = LuaScript.Prepare($$"""
        if @hash ~= '' and redis.call('SISMEMBER', @paidKey, @hash) == 1 then return {'already_paid', '0'} end
        local budgetKey, dayAgo, hourAgo = @budgetKey, @dayAgo, @hourAgo
        {{SumBudget}}
        if spent + tonumber(@amount) > tonumber(@budget) then return {'budget', tostring(spent)} end
        if lastHour >= tonumber(@maxPerHour) then return {'rate', tostring(lastHour)} end
        redis.call('ZADD', @budgetKey, @now, @member)
        redis.call('PEXPIRE', @budgetKey, @dayMs)
        if @hash ~= '' then
          redis.call('SADD', @paidKey, @hash)
          redis.call('PEXPIRE', @paidKey, @paidMs)
        end
        return {'ok', tostring(spent)}
        """);

    private static readonly LuaScript s_release = LuaScript.Prepare("""
        redis.call('ZREM', @budgetKey, @member)
        if @hash ~= '' then redis.call('SREM', @paidKey, @hash) end
        return 1
        """);

    private static readonly LuaScript s_usage = LuaScript.Prepare($$"""
        local budgetKey, dayAgo, hourAgo = @budgetKey, @dayAgo, @hourAgo
        {{SumBudget}}
        return {tostring(spent), tostring(lastHour)}
        """);

    public async Task<LedgerDecision> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
    {
        var reservationId = Guid.NewGuid().ToString("N");
        var member = $"{reservationId}:{request.AmountMsat}";
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_reserve, new
        {
            paidKey = (RedisKey)RedisKeys.PaidHashes(request.LedgerKey),
            budgetKey = (RedisKey)RedisKeys.Budget(request.LedgerKey),
            hash = request.PaymentHash ?? string.Empty,
            amount = request.AmountMsat,
            budget = request.DailyBudgetMsat,
            maxPerHour = request.MaxPaymentsPerHour,
            now = request.Now.ToUnixTimeMilliseconds(),
            dayAgo = (request.Now - s_day).ToUnixTimeMilliseconds(),
            hourAgo = (request.Now - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(),
            member,
            dayMs = (long)(s_day + TimeSpan.FromHours(1)).TotalMilliseconds,
            paidMs = (long)s_paidHashLifetime.TotalMilliseconds,
        }))!;
        var count = long.Parse((string)result[1]!, System.Globalization.CultureInfo.InvariantCulture);
        return (string?)result[0] switch
        {
            "ok" => new LedgerDecision.Reserved(await ReplicatedAsync(new PaymentReservation(request.LedgerKey, request.PaymentHash, member, request.AmountMsat))),
            "already_paid" => new LedgerDecision.AlreadyPaid(),
            "budget" => new LedgerDecision.BudgetExceeded(count, Math.Max(0, request.DailyBudgetMsat - count)),
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
            await redis.WaitForReplicaAsync(RedisKeys.Budget(reservation.LedgerKey));
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
            paidKey = (RedisKey)RedisKeys.PaidHashes(reservation.LedgerKey),
            budgetKey = (RedisKey)RedisKeys.Budget(reservation.LedgerKey),
            member = reservation.ReservationId,
            hash = reservation.PaymentHash ?? string.Empty,
        });

    public Task<bool> HoldsHashAsync(string ledgerKey, string paymentHash, CancellationToken cancellationToken) =>
        redis.GetDatabase().SetContainsAsync(RedisKeys.PaidHashes(ledgerKey), paymentHash);

    public async Task<BudgetUsage> GetUsageAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_usage, new
        {
            budgetKey = (RedisKey)RedisKeys.Budget(ledgerKey),
            dayAgo = (now - s_day).ToUnixTimeMilliseconds(),
            hourAgo = (now - TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(),
        }))!;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return new BudgetUsage(long.Parse((string)result[0]!, invariant), int.Parse((string)result[1]!, invariant));
    }
}
