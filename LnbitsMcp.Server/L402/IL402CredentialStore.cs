namespace LnbitsMcp.Server.L402;

/// <summary>
/// The L402 credentials of each session (or header credential: the payment ledger's key) per origin
/// (<c>scheme://host:port</c>), kept for a lifetime: in Redis (encrypted, key hashed) when sessions are there,
/// else in this process.
/// </summary>
public interface IL402CredentialStore
{
    Task<L402Credential?> GetAsync(string ledgerKey, string origin, CancellationToken cancellationToken);

    Task SaveAsync(string ledgerKey, string origin, L402Credential credential, TimeSpan lifetime, CancellationToken cancellationToken);

    Task RemoveAsync(string ledgerKey, string origin, CancellationToken cancellationToken);
}
