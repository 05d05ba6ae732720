using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Auth;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary><c>GET /api/v1/wallet</c> (wallet key) and <c>GET /api/v1/wallets</c> (user token).</summary>
internal static class WalletApi
{
    public static IEndpointRouteBuilder MapWalletApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/wallet", GetWallet);
        app.MapGet("/api/v1/wallets", GetUserWallets);
        return app;
    }

    private static IResult GetWallet(HttpRequest request, WalletKeyAuth auth, SandboxLedger ledger)
    {
        var access = auth.RequireInvoiceKey(request);
        var body = new JsonObject
        {
            ["name"] = access.Wallet.Name,
            ["balance"] = ledger.Locked(l => l.BalanceMsat(access.Wallet.Id)),
        };
        if (access.IsAdmin)
        {
            body["id"] = access.Wallet.Id;
        }

        return ApiResults.Json(body);
    }

    private static IResult GetUserWallets(HttpRequest request, UserAuth auth, SandboxLedger ledger)
    {
        var user = auth.RequireUser(request);
        var wallets = ledger.Locked(l => l.WalletsOf(user.Id).Select(w => WalletView.From(w, l.BalanceMsat(w.Id))).ToList());
        return TypedResults.Json(wallets, SandboxJson.Api.ListWalletView);
    }
}
