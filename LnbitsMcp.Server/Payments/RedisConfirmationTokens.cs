using LnbitsMcp.Server.Sessions;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Payments;

/// <summary>Confirmation tokens in Redis, stored by hash with a TTL and spent with GETDEL (one use, any instance).</summary>
public sealed class RedisConfirmationTokens(IConnectionMultiplexer redis) : IConfirmationTokens
{
    public async Task<string> IssueAsync(string ledgerKey, string paymentSubject, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = ConfirmationToken.New();
        await redis.GetDatabase().StringSetAsync(RedisKeys.ConfirmationToken(ConfirmationToken.Key(token)), Grant(ledgerKey, paymentSubject), lifetime);
        return token;
    }

    public async Task<bool> RedeemAsync(string token, string ledgerKey, string paymentSubject, CancellationToken cancellationToken)
    {
        var grant = await redis.GetDatabase().StringGetDeleteAsync(RedisKeys.ConfirmationToken(ConfirmationToken.Key(token)));
        return grant.HasValue && grant == Grant(ledgerKey, paymentSubject);
    }

    private static string Grant(string ledgerKey, string paymentSubject) => SessionId.Key(ledgerKey + "\n" + paymentSubject);
}
