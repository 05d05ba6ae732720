using System.Globalization;
using System.Text.Json;
using LnbitsMcp.Server.Sessions;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Approvals in Redis, one hash per approval (<see cref="RedisKeys.PaymentApproval"/>): the description
/// (<c>doc</c>), the status, the expiry and the binding (caller's ledger key, subject hash) that the scripts
/// compare. Each script touches that one key only, so it runs on a Redis Cluster too; the change to
/// <c>used</c> is on a replica before the payment goes out, so a failover cannot hand the approval out again.
/// </summary>
public sealed class RedisPaymentApprovalStore(IConnectionMultiplexer redis, TimeProvider time) : IPaymentApprovalStore
{
    private static readonly LuaScript s_decide = LuaScript.Prepare("""
        local status = redis.call('HGET', @key, 'status')
        if not status then return {''} end
        if status ~= 'pending' then return {status, '0'} end
        local next = @decision
        if tonumber(redis.call('HGET', @key, 'expires')) <= tonumber(@now) then next = 'expired' end
        redis.call('HSET', @key, 'status', next)
        return {next, '1'}
        """);

    private static readonly LuaScript s_use = LuaScript.Prepare("""
        local f = redis.call('HMGET', @key, 'status', 'expires', 'ledger', 'subject')
        if not f[1] or f[3] ~= @ledger or f[4] ~= @subject then return {''} end
        local next = false
        if (f[1] == 'pending' or f[1] == 'approved') and tonumber(f[2]) <= tonumber(@now) then next = 'expired'
        elseif f[1] == 'approved' then next = 'used' end
        if not next then return {f[1], '0'} end
        redis.call('HSET', @key, 'status', next)
        return {next, '1'}
        """);

    private IDatabase Database => redis.GetDatabase();

    public async Task CreateAsync(string id, PaymentApproval approval, CancellationToken cancellationToken)
    {
        var key = Key(id);
        var batch = Database.CreateTransaction();
        _ = batch.HashSetAsync(key,
        [
            new HashEntry("doc", JsonSerializer.Serialize(approval, PaymentApprovalJson.Default.PaymentApproval)),
            new HashEntry("status", Wire(ApprovalStatus.Pending)),
            new HashEntry("expires", approval.ExpiresAtMs),
            new HashEntry("ledger", approval.LedgerKey),
            new HashEntry("subject", approval.SubjectHash),
        ]);
        _ = batch.KeyExpireAsync(key, PaymentApprovals.ForgetAt(approval) - time.GetUtcNow());
        await batch.ExecuteAsync();
    }

    public async Task<PaymentApproval?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var fields = await Database.HashGetAsync(Key(id), ["doc", "status"]);
        if (fields[0].IsNullOrEmpty || fields[1].IsNullOrEmpty)
        {
            return null;
        }

        var approval = JsonSerializer.Deserialize((string)fields[0]!, PaymentApprovalJson.Default.PaymentApproval)!;
        return approval with { Status = Parse(fields[1]!) ?? ApprovalStatus.Expired };
    }

    public async Task<ApprovalChange> DecideAsync(string id, ApprovalStatus decision, DateTimeOffset now, CancellationToken cancellationToken) =>
        Change(await Database.ScriptEvaluateAsync(s_decide, new
        {
            key = (RedisKey)Key(id),
            decision = Wire(decision),
            now = now.ToUnixTimeMilliseconds(),
        }));

    public async Task<ApprovalChange> UseAsync(string id, string ledgerKey, string subjectHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Key(id);
        var change = Change(await Database.ScriptEvaluateAsync(s_use, new
        {
            key = (RedisKey)key,
            ledger = ledgerKey,
            subject = subjectHash,
            now = now.ToUnixTimeMilliseconds(),
        }));
        if (change is { Status: ApprovalStatus.Used, Changed: true })
        {
            await redis.WaitForReplicaAsync(key);
        }

        return change;
    }

    public Task<bool> UseOnceAsync(string nonce, TimeSpan lifetime, CancellationToken cancellationToken) =>
        Database.StringSetAsync(RedisKeys.PaymentApprovalState(PaymentApprovals.StorageId("state:" + nonce)), "1", lifetime, When.NotExists);

    private static string Key(string id) => RedisKeys.PaymentApproval(PaymentApprovals.StorageId(id));

    private static ApprovalChange Change(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        var status = Parse((string?)parts[0]);
        return new ApprovalChange(status, status is not null && parts.Length > 1 && (string?)parts[1] == "1");
    }

    private static string Wire(ApprovalStatus status) => status.ToString().ToLowerInvariant();

    private static ApprovalStatus? Parse(string? wire) =>
        Enum.TryParse<ApprovalStatus>(wire, ignoreCase: true, out var status) && wire!.All(char.IsAsciiLetterLower) ? status : null;
}
