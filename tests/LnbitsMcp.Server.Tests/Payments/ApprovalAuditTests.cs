using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>
/// Every step of an approval (issued, approved, declined, expired, used) is counted in
/// <c>lnbits_mcp.payment.approvals</c> by outcome and channel, and written to the audit log once with the
/// session hint, never with the approval id.
/// </summary>
public sealed class ApprovalsAreAuditedWithTheSessionHint : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly ConcurrentQueue<(string Outcome, string Via)> _counted = new();
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;
    private MeterListener _listener = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Payments:ConfirmAboveSats"] = "5000",
            ["Payments:ApprovalLifetime"] = "00:00:04",
        }, builder =>
        {
            builder.Logging.AddProvider(_logs);
            builder.Logging.AddFilter<CapturedLogs>(typeof(PaymentAudit).FullName, LogLevel.Information);
        });
        var meters = _server.App.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "lnbits_mcp.payment.approvals")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray();
            _counted.Enqueue((Tag(all, "outcome"), Tag(all, "via")));
        });
        _listener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task IssuedApprovedUsedDeclinedAndExpiredApprovalsAreCountedAndLoggedWithTheSessionHint()
    {
        var wallet = await _sandbox.CreateWalletAsync("audited", 100_000);
        await using var client = await _server.ConnectAsync();
        var sessionId = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await client.CallOkAsync("configure_lnbits", new { session_id = sessionId, lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var (approvedInvoice, declinedInvoice, expiringInvoice) = (await _sandbox.ExternalInvoiceAsync(6_000), await _sandbox.ExternalInvoiceAsync(6_100), await _sandbox.ExternalInvoiceAsync(6_200));

        var approved = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = sessionId, bolt11 = approvedInvoice.Bolt11 });
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(approved));
        await client.CallOkAsync("pay_invoice", new { session_id = sessionId, bolt11 = approvedInvoice.Bolt11, approval_id = approved.GetProperty("approval_id").GetString() });
        var declined = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = sessionId, bolt11 = declinedInvoice.Bolt11 });
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(declined), "decline");
        var expiring = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = sessionId, bolt11 = expiringInvoice.Bolt11 });
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        await client.CallErrorAsync("pay_invoice", "confirmation_declined", new { session_id = sessionId, bolt11 = expiringInvoice.Bolt11, approval_id = expiring.GetProperty("approval_id").GetString() });

        Assert.Equal(
            [("approved", "page"), ("declined", "page"), ("expired", "approval_id"), ("issued", "approval_url"), ("issued", "approval_url"), ("issued", "approval_url"), ("used", "approval_id")],
            _counted.Order().ToArray());
        var hint = SessionId.Hint(sessionId);
        var lines = _logs.Lines.Where(line => line.Contains("Payment approval for pay_invoice", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, lines.Count);
        Assert.All(lines, line => Assert.EndsWith("session " + hint, line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("expired via approval_id, 6200 sat", StringComparison.Ordinal));
        foreach (var id in new[] { approved, declined, expiring }.Select(e => e.GetProperty("approval_id").GetString()!))
        {
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(id, StringComparison.Ordinal));
        }
    }

    private static string Tag(KeyValuePair<string, object?>[] tags, string name) => tags.Single(t => t.Key == name).Value as string ?? "";
}
