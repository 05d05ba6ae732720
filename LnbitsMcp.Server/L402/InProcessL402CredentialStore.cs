using System.Collections.Concurrent;

namespace LnbitsMcp.Server.L402;

public sealed class InProcessL402CredentialStore(TimeProvider time) : IL402CredentialStore
{
    private readonly ConcurrentDictionary<(string LedgerKey, string Origin), (L402Credential Credential, DateTimeOffset ExpiresAt)> _credentials = new();

    public Task<L402Credential?> GetAsync(string ledgerKey, string origin, CancellationToken cancellationToken)
    {
        if (_credentials.TryGetValue((ledgerKey, origin), out var entry))
        {
            if (entry.ExpiresAt > time.GetUtcNow())
            {
                return Task.FromResult<L402Credential?>(entry.Credential);
            }

            _credentials.TryRemove(new((ledgerKey, origin), entry));
        }

        return Task.FromResult<L402Credential?>(null);
    }

    public Task SaveAsync(string ledgerKey, string origin, L402Credential credential, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _credentials.Where(entry => entry.Value.ExpiresAt <= now))
        {
            _credentials.TryRemove(expired);
        }

        _credentials[(ledgerKey, origin)] = (credential, now + lifetime);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string ledgerKey, string origin, CancellationToken cancellationToken)
    {
        _credentials.TryRemove((ledgerKey, origin), out _);
        return Task.CompletedTask;
    }
}
