using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Auth;

/// <summary>The wallet a request's key opened, and which key it was.</summary>
internal sealed record WalletAccess(SandboxWallet Wallet, KeyType KeyType)
{
    public bool IsAdmin => KeyType == KeyType.Admin;
}
