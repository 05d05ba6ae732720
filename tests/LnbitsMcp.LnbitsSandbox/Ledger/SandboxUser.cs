namespace LnbitsMcp.LnbitsSandbox.Ledger;

/// <summary>An LNbits account (user) that can log in with username and password.</summary>
internal sealed class SandboxUser
{
    public required string Id { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
