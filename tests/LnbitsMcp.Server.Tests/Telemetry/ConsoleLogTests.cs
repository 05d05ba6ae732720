using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// The standalone server's console (stdout) is redacted like the exported telemetry, at every level and
/// for the MCP SDK's own lines; and <c>--debug</c> shows debug lines as <c>--help</c> says.
/// </summary>
public sealed class ConsoleLogsAreRedactedLikeExportedOnes : IAsyncLifetime
{
    private Sandbox _sandbox = null!;

    public async ValueTask InitializeAsync() => _sandbox = await Sandbox.StartAsync();

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task AtTraceStdoutShowsNoSessionIdKeyPreimageOrApprovalId()
    {
        // appsettings keep the SDK's and HttpClient's per-call lines at Warning: turned up explicitly here.
        await using var server = await StartServerAsync("--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
            "--Logging:LogLevel:ModelContextProtocol=Trace", "--Logging:LogLevel:System.Net.Http.HttpClient=Trace");
        var wallet = await _sandbox.CreateWalletAsync("console-payer", 10_000);
        await using var client = await ConnectAsync(server);
        var secrets = new List<string> { client.SessionId!, wallet.AdminKey, wallet.InvoiceKey };
        var sessionId = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        secrets.Add(sessionId);
        await client.CallOkAsync("configure_lnbits", new { session_id = sessionId, lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var invoice = await _sandbox.ExternalInvoiceAsync(50);
        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = sessionId, bolt11 = invoice.Bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        secrets.Add(approvalId);
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required));
        var paid = await client.CallOkAsync("pay_invoice", new { session_id = sessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        secrets.Add(paid.GetProperty("preimage").GetString()!);
        await client.CallOkAsync("get_payment_status", new { session_id = sessionId, payment_hash = invoice.PaymentHash });
        await Task.Delay(TimeSpan.FromSeconds(2)); // the console logger writes from a queue

        var output = server.Output;
        Assert.Contains("trce:", output, StringComparison.Ordinal);                           // Trace lines were written
        Assert.Contains("Stream created for session '***'", output, StringComparison.Ordinal); // the SDK's own line, redacted
        Assert.Contains("X-Api-Key", output, StringComparison.OrdinalIgnoreCase);              // request headers were logged, values hidden
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DebugOptionPrintsDebugLines()
    {
        await using var server = await StartServerAsync("--debug");
        var wallet = await _sandbox.CreateWalletAsync("console-debug", 10);
        await using var client = await ConnectAsync(server);
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Contains("dbug:", server.Output, StringComparison.Ordinal);
        Assert.Contains("LNbits GET /api/v1/wallet answered 200", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(wallet.AdminKey, server.Output, StringComparison.Ordinal);
    }

    private static Task<ServiceProcess> StartServerAsync(params string[] options) =>
        ServiceProcess.StartAsync("LnbitsMcp.Server", ["--host", "127.0.0.1", "--port", "0", .. options], new Dictionary<string, string?>
        {
            ["Security__AllowPrivateNetworks"] = "true",
            ["Payments__Network"] = "regtest",
            ["Payments__ConfirmAboveSats"] = "10",
        });

    private static async Task<McpClient> ConnectAsync(ServiceProcess server) =>
        await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url, "/mcp") }),
            new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(TimeSpan.FromSeconds(60));
}
