using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>SandboxHost as <c>dotnet run</c> uses it: demo data created at start and printed.</summary>
public sealed class SandboxHostTests
{
    [Fact]
    public async Task DemoDataIsCreatedAndPrintedWithWorkingCredentials()
    {
        var output = new StringWriter();
        var app = SandboxHost.Build(["--urls", "http://127.0.0.1:0"], options =>
        {
            options.SeedDemoData = true;
            options.DemoOutput = output;
        });
        await app.StartAsync().WaitAsync(TestTimeout);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new SandboxClient(new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(address), Timeout = TestTimeout });
            var banner = output.ToString();
            var adminKey = Regex.Match(banner, @"Wallet alice: 100000 sat\s+id\s+\w+\s+admin key\s+(?<key>[0-9a-f]{32})").Groups["key"].Value;

            var wallet = await client.GetAsync("/api/v1/wallet", adminKey).WaitAsync(TestTimeout);
            var login = await client.PostAsync("/api/v1/auth", new JsonObject { ["username"] = "demo", ["password"] = "demo-password" })
                .WaitAsync(TestTimeout);
            var wallets = await client.GetAsync("/api/v1/wallets", bearer: login.Text("access_token")).WaitAsync(TestTimeout);

            Assert.Contains($"alice@{new Uri(address).Authority}", banner, StringComparison.Ordinal);
            Assert.Contains($"bob@{new Uri(address).Authority}", banner, StringComparison.Ordinal);
            Assert.Equal(100_000_000, wallet.Long("balance"));
            Assert.Equal(["alice", "bob"], wallets.Array.Select(w => w!["name"]!.GetValue<string>()));
        }
        finally
        {
            await app.StopAsync().WaitAsync(TestTimeout);
            await app.DisposeAsync().AsTask().WaitAsync(TestTimeout);
        }
    }
}
