namespace LnbitsMcp.LnbitsSandbox.Ledger;

/// <summary>An LNbits wallet: id, two keys, the owning user and its Lightning-address name.</summary>
internal sealed class SandboxWallet
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string AdminKey { get; init; }

    public required string InKey { get; init; }

    public required string UserId { get; init; }

    /// <summary>The user part of the wallet's Lightning address (<c>name@host:port</c>).</summary>
    public required string LightningUser { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

internal enum KeyType
{
    Invoice,
    Admin,
}
