using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Lnurl;

namespace LnbitsMcp.LnbitsSandbox.Extensions;

/// <summary>Creates the demo user and the wallets alice and bob once the server listens, and prints them.</summary>
internal static class DemoSeeder
{
    public const string DemoUsername = "demo";
    public const string DemoPassword = "demo-password";

    public static WebApplication SeedDemoDataOnStart(this WebApplication app, SandboxOptions options)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                .FirstOrDefault() ?? "http://127.0.0.1:5180";
            var uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
                .Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
                .Replace("+", "127.0.0.1", StringComparison.Ordinal)
                .Replace("*", "127.0.0.1", StringComparison.Ordinal));
            var host = uri.Authority;
            var directory = app.Services.GetRequiredService<WalletDirectory>();
            var user = directory.CreateUser(DemoUsername, DemoPassword);
            var alice = directory.CreateWallet("alice", 100_000, user.Id);
            var bob = directory.CreateWallet("bob", 50_000, user.Id);

            var output = options.DemoOutput ?? Console.Out;
            output.WriteLine($"LNbits sandbox listening on {uri.GetLeftPart(UriPartial.Authority)}");
            output.WriteLine($"Demo login (POST /api/v1/auth): username '{DemoUsername}', password '{DemoPassword}', user id {user.Id}");
            foreach (var (wallet, balance) in new[] { (alice, 100_000), (bob, 50_000) })
            {
                output.WriteLine($"Wallet {wallet.Name}: {balance} sat");
                output.WriteLine($"  id                {wallet.Id}");
                output.WriteLine($"  admin key         {wallet.AdminKey}");
                output.WriteLine($"  invoice key       {wallet.InKey}");
                output.WriteLine($"  lightning address {wallet.LightningUser}@{host}");
                output.WriteLine($"  lnurl             {LnurlCodec.Encode($"{uri.Scheme}://{host}/.well-known/lnurlp/{wallet.LightningUser}")}");
            }

            output.Flush();
        });
        return app;
    }
}
