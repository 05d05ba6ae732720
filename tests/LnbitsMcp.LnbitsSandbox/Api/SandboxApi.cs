using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Settings;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>Sandbox-only control endpoints (CONTRACT §7): wallets, users, outside payments, settings.</summary>
internal static class SandboxApi
{
    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("/sandbox");
        sandbox.MapPost("/wallets", CreateWalletAsync);
        sandbox.MapGet("/wallets", ListWallets);
        sandbox.MapPost("/users", CreateUserAsync);
        sandbox.MapPost("/invoices/{paymentHash}/settle", SettleInvoice);
        sandbox.MapGet("/external-invoice", CreateExternalInvoice);
        sandbox.MapGet("/settings", GetSettings);
        sandbox.MapPost("/settings", UpdateSettingsAsync);
        sandbox.MapPost("/settings/reset", ResetSettings);
        return app;
    }

    private static async Task<IResult> CreateWalletAsync(
        HttpRequest request,
        WalletDirectory directory,
        CancellationToken cancellationToken)
    {
        var model = new BodyModel(await JsonBody.ReadAsync(request, cancellationToken));
        var name = model.Str("name", required: true, minLength: 1, maxLength: 255);
        var balanceSat = model.Int("balance_sat") ?? 0;
        if (balanceSat < 0)
        {
            model.AddIssue("balance_sat", "ensure this value is greater than or equal to 0", "value_error.number.not_ge",
                new JsonObject { ["limit_value"] = 0 });
        }

        var user = model.Str("user");
        model.ThrowIfInvalid();

        var wallet = directory.CreateWallet(name!, balanceSat, user);
        var created = new CreatedWallet(
            wallet.Id,
            wallet.Name,
            wallet.AdminKey,
            wallet.InKey,
            wallet.UserId,
            $"{wallet.LightningUser}@{request.Host.Value}");
        return TypedResults.Json(created, SandboxJson.Api.CreatedWallet, statusCode: StatusCodes.Status201Created);
    }

    private static IResult ListWallets(HttpRequest request, SandboxLedger ledger)
    {
        var wallets = ledger.Locked(l => new JsonArray([.. l.Wallets.Select(wallet => (JsonNode)new JsonObject
        {
            ["id"] = wallet.Id,
            ["name"] = wallet.Name,
            ["adminkey"] = wallet.AdminKey,
            ["inkey"] = wallet.InKey,
            ["user"] = wallet.UserId,
            ["lightning_address"] = $"{wallet.LightningUser}@{request.Host.Value}",
            ["balance_msat"] = l.BalanceMsat(wallet.Id),
        })]));
        return TypedResults.Json(wallets, SandboxJson.Api.JsonArray);
    }

    private static async Task<IResult> CreateUserAsync(
        HttpRequest request,
        WalletDirectory directory,
        CancellationToken cancellationToken)
    {
        var model = new BodyModel(await JsonBody.ReadAsync(request, cancellationToken));
        var username = model.Str("username", required: true, minLength: 1);
        var password = model.Str("password", required: true, minLength: 1);
        model.ThrowIfInvalid();

        var user = directory.CreateUser(username!, password!);
        return TypedResults.Json(new CreatedUser(user.Id, user.Username!), SandboxJson.Api.CreatedUser,
            statusCode: StatusCodes.Status201Created);
    }

    private static IResult SettleInvoice(string paymentHash, InvoiceService invoices) =>
        ApiResults.Payment(invoices.SettleFromOutside(paymentHash));

    private static IResult CreateExternalInvoice(HttpRequest request, OutsideNode outside)
    {
        var query = new QueryModel(request.Query);
        var amountSat = query.Int("amount_sat");
        var expiry = query.Int("expiry");
        var memo = query.Str("memo");
        query.ThrowIfInvalid();
        var invoice = outside.CreateInvoice(
            amountSat is > 0 ? amountSat : null,
            expiry is > 0 ? (int)Math.Min(expiry.Value, int.MaxValue) : InvoiceService.DefaultExpirySeconds,
            memo);
        return TypedResults.Json(invoice, SandboxJson.Api.ExternalInvoice);
    }

    private static IResult GetSettings(SettingsStore settings) =>
        TypedResults.Json(settings.Current, SandboxJson.Api.SandboxSettings);

    private static async Task<IResult> UpdateSettingsAsync(
        HttpRequest request,
        SettingsStore settings,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var change = SettingsUpdate.Parse(body.Present ? body : new BodyValue(true, new JsonObject()));
        return TypedResults.Json(settings.Update(change), SandboxJson.Api.SandboxSettings);
    }

    private static IResult ResetSettings(SettingsStore settings) =>
        TypedResults.Json(settings.Reset(), SandboxJson.Api.SandboxSettings);
}
