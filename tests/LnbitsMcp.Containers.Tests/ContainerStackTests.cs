using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Containers.Tests;

/// <summary>An MCP client talks to the containers only through the edge's published port.</summary>
public sealed class ContainerStackTests(ContainerStack stack) : IClassFixture<ContainerStack>
{
    [Fact]
    public async Task AClientPaysBetweenTwoSandboxWalletsAndDecodesTheInvoiceThroughThePublishedEdge()
    {
        stack.Images.Containers.SkipWhenUnavailable();
        await using var bob = await stack.ConnectAsync();
        await using var alice = await stack.ConnectAsync();
        // No lnbits_url: the servers' LNBITS_URL names the sandbox container.
        await bob.CallOkAsync("configure_lnbits", new { api_key = stack.AdminKeys["bob"] });
        await alice.CallOkAsync("configure_lnbits", new { api_key = stack.AdminKeys["alice"] });
        var aliceBefore = (await alice.CallOkAsync("get_wallet_balance")).GetProperty("balance_msat").GetInt64();
        var bobBefore = (await bob.CallOkAsync("get_wallet_balance")).GetProperty("balance_msat").GetInt64();

        var invoice = await bob.CallOkAsync("create_invoice", new { amount = 1_234, memo = "paid inside podman" });
        var bolt11 = invoice.GetProperty("bolt11").GetString()!;
        var decoded = await alice.CallOkAsync("decode_invoice", new { bolt11 });
        var paid = await alice.CallOkAsync("pay_invoice", new { bolt11 });
        var aliceAfter = (await alice.CallOkAsync("get_wallet_balance")).GetProperty("balance_msat").GetInt64();
        var bobAfter = (await bob.CallOkAsync("get_wallet_balance")).GetProperty("balance_msat").GetInt64();

        Assert.StartsWith("lnbcrt", bolt11, StringComparison.Ordinal);
        Assert.Equal("regtest", decoded.GetProperty("network").GetString());
        Assert.Equal(1_234_000, decoded.GetProperty("amount_msat").GetInt64());
        Assert.Equal("paid inside podman", decoded.GetProperty("description").GetString());
        Assert.True(decoded.GetProperty("signature_valid").GetBoolean());
        Assert.Equal(invoice.GetProperty("payment_hash").GetString(), decoded.GetProperty("payment_hash").GetString());
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(aliceBefore - 1_234_000, aliceAfter);
        Assert.Equal(bobBefore + 1_234_000, bobAfter);
    }

    [Fact]
    public async Task ASessionContinuesOnTheOtherServerWhenItsContainerIsKilled()
    {
        stack.Images.Containers.SkipWhenUnavailable();
        await using var client = await stack.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { api_key = stack.AdminKeys["alice"] });
        var before = await client.CallOkAsync("get_session_info");
        var balanceBefore = (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_msat").GetInt64();
        var victim = before.GetProperty("replica").GetString()!;
        var sessionId = client.SessionId;

        await Podman.CheckedAsync("kill", stack.Containers[victim]);
        try
        {
            var after = await client.CallOkAsync("get_session_info");
            var balanceAfter = (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_msat").GetInt64();

            Assert.Equal(stack.Containers.Keys.Where(role => role.StartsWith("server", StringComparison.Ordinal)).Single(role => role != victim),
                after.GetProperty("replica").GetString());
            Assert.Equal(before.GetProperty("session_hint").GetString(), after.GetProperty("session_hint").GetString());
            Assert.True(after.GetProperty("is_configured").GetBoolean());
            Assert.Equal(balanceBefore, balanceAfter);
            Assert.Equal(sessionId, client.SessionId);
        }
        finally
        {
            // The other tests of this class share the stack: the killed server comes back.
            await Podman.CheckedAsync("start", stack.Containers[victim]);
            await ContainerHttp.WaitForLogAsync(stack.Containers[victim], "Application started", TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task OnlyTheEdgeIsPublishedAndOnlyOnLoopback()
    {
        stack.Images.Containers.SkipWhenUnavailable();
        foreach (var (role, container) in stack.Containers)
        {
            var ports = (await Podman.InspectAsync("container", container)).GetProperty("HostConfig").GetProperty("PortBindings");
            var bindings = ports.ValueKind == JsonValueKind.Object
                ? ports.EnumerateObject().Where(port => port.Value.ValueKind == JsonValueKind.Array)
                    .SelectMany(port => port.Value.EnumerateArray()).ToList()
                : [];

            if (role == "edge")
            {
                Assert.Equal(2, bindings.Count);
                Assert.All(bindings, binding => Assert.Equal("127.0.0.1", binding.GetProperty("HostIp").GetString()));
            }
            else
            {
                Assert.Empty(bindings);
            }
        }
    }

    [Fact]
    public async Task EveryContainerRunsOnAReadOnlyRootFilesystemAndOursAsUserApp()
    {
        stack.Images.Containers.SkipWhenUnavailable();
        foreach (var (role, container) in stack.Containers)
        {
            var inspected = await Podman.InspectAsync("container", container);
            Assert.True(inspected.GetProperty("HostConfig").GetProperty("ReadonlyRootfs").GetBoolean(), $"{role} has a writable root");
            Assert.True(inspected.GetProperty("State").GetProperty("Running").GetBoolean(), $"{role} is not running");
            if (role != "redis")
            {
                Assert.Equal("app", inspected.GetProperty("Config").GetProperty("User").GetString());
            }
        }
    }

    [Fact]
    public async Task TheEdgeServesHttpsWithTheSelfSignedCertificateItWroteToItsTmpfs()
    {
        stack.Images.Containers.SkipWhenUnavailable();
        X509Certificate2? seen = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        };
        using var http = new HttpClient(handler) { BaseAddress = stack.EdgeHttps, Timeout = TimeSpan.FromSeconds(30) };

        var health = await ContainerHttp.WaitForSuccessAsync(http, "/health", TimeSpan.FromSeconds(30), stack.Containers["edge"]);

        Assert.Equal("Healthy", health);
        Assert.NotNull(seen);
        Assert.Equal("CN=localhost (LnbitsMcp edge)", seen.Subject);
        seen.Dispose();
    }
}
