using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Api.Models;

/// <summary>LNbits' full <c>Wallet</c> model, as <c>GET /api/v1/wallets</c> returns it.</summary>
internal sealed record WalletView(
    string Id,
    string User,
    string WalletType,
    [property: JsonPropertyName("adminkey")] string AdminKey,
    [property: JsonPropertyName("inkey")] string InKey,
    string Name,
    string? SharedWalletId,
    bool Deleted,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Currency,
    long BalanceMsat,
    JsonObject Extra,
    JsonObject StoredPaylinks,
    IReadOnlyList<string> SharePermissions)
{
    public static WalletView From(SandboxWallet wallet, long balanceMsat) => new(
        wallet.Id,
        wallet.UserId,
        "lightning",
        wallet.AdminKey,
        wallet.InKey,
        wallet.Name,
        null,
        false,
        wallet.CreatedAt,
        wallet.CreatedAt,
        null,
        balanceMsat,
        new JsonObject { ["icon"] = "flash_on", ["color"] = "primary", ["pinned"] = false, ["shared_with"] = new JsonArray() },
        new JsonObject { ["links"] = new JsonArray() },
        []);
}
