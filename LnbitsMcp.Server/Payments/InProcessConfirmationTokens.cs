using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace LnbitsMcp.Server.Payments;

public sealed class InProcessConfirmationTokens(TimeProvider time) : IConfirmationTokens
{
    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);

    public Task<string> IssueAsync(string ledgerKey, string paymentSubject, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = ConfirmationToken.New();
        _grants[ConfirmationToken.Key(token)] = new Grant(ledgerKey, paymentSubject, time.GetUtcNow() + lifetime);
        return Task.FromResult(token);
    }

    public Task<bool> RedeemAsync(string token, string ledgerKey, string paymentSubject, CancellationToken cancellationToken)
    {
        // Removed whatever the outcome: a token presented for the wrong payment is spent too.
        var redeemed = _grants.TryRemove(ConfirmationToken.Key(token), out var grant)
            && grant.ExpiresAt > time.GetUtcNow()
            && grant.LedgerKey == ledgerKey
            && grant.PaymentSubject == paymentSubject;
        return Task.FromResult(redeemed);
    }

    private sealed record Grant(string LedgerKey, string PaymentSubject, DateTimeOffset ExpiresAt);
}

public static class ConfirmationToken
{
    public static string New()
    {
        var token = "ct_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        Telemetry.SecretRedactor.Register(token);
        return token;
    }

    /// <summary>Tokens are stored by hash, like session ids.</summary>
    public static string Key(string token) => Sessions.SessionId.Key(token);
}
