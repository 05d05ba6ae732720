using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.Server.Auth;

/// <summary>Finds the client a request names: a metadata document URL, or a dynamically registered client.</summary>
public sealed class OAuthClients(IOAuthStore store, ClientMetadataDocuments documents)
{
    public async Task<OAuthClient?> FindAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 2048)
        {
            return null;
        }

        if (ClientMetadataDocuments.IsDocumentUrl(clientId))
        {
            return await documents.FetchAsync(clientId, cancellationToken);
        }

        return await store.FindClientAsync(clientId, cancellationToken) is { } registered
            ? new OAuthClient(registered.ClientId, registered.ClientName, registered.RedirectUris, registered.SecretHash, FromMetadataDocument: false)
            : null;
    }

    /// <summary>
    /// Client authentication at the token and revocation endpoints: a confidential client must present its
    /// secret (basic or post), a public one must present none.
    /// </summary>
    public static bool Authenticates(OAuthClient client, string? secret) =>
        client.SecretHash is { } hash
            ? secret is not null && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash), SHA256.HashData(Encoding.UTF8.GetBytes(secret)))
            : string.IsNullOrEmpty(secret);

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
