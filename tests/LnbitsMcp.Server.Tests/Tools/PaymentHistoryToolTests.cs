using System.Globalization;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>A wallet's history in the sandbox, made once: a settled incoming payment ("early coffee"), then a second
/// later a pending invoice ("tea"), a settled outgoing payment and a failed outgoing payment.</summary>
public sealed class PaymentHistory : IAsyncLifetime
{
    public SandboxAndServer App { get; } = new();

    public McpClient Client { get; private set; } = null!;

    /// <summary>A moment between the early payment and the later ones (at least a second from each).</summary>
    public DateTimeOffset Between { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        var sandbox = App.Sandbox;
        var wallet = await sandbox.CreateWalletAsync("history", 0);
        Client = await App.ConnectAsync(wallet.AdminKey);
        var early = await Client.CallOkAsync("create_invoice", new { amount = 5_000, memo = "early coffee" });
        using (var settled = await sandbox.Http.PostAsync($"/sandbox/invoices/{early.GetProperty("payment_hash").GetString()}/settle", null))
        {
            settled.EnsureSuccessStatusCode();
        }

        await Task.Delay(TimeSpan.FromMilliseconds(1_100));
        Between = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(1_100));
        await Client.CallOkAsync("create_invoice", new { amount = 700, memo = "tea" });
        await Client.CallOkAsync("pay_invoice", new { bolt11 = (await sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });
        await sandbox.SetAsync(new { pay_mode = "fail" });
        await Client.CallErrorAsync("pay_invoice", "lnbits_error", new { bolt11 = (await sandbox.ExternalInvoiceAsync(2_000)).Bolt11 });
        await sandbox.ResetSettingsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>get_payments' filters (direction, status, since/until, search) against the sandbox, alone and combined,
/// with the total count; bad filter values are invalid_argument.</summary>
public sealed class PaymentHistoryToolTests(PaymentHistory history) : IClassFixture<PaymentHistory>
{
    private async Task<(long Total, List<(string Direction, long Sats, string Status)> Rows)> PaymentsAsync(object arguments)
    {
        var result = await history.Client.CallOkAsync("get_payments", arguments);
        var rows = result.GetProperty("payments").EnumerateArray()
            .Select(p => (p.GetProperty("direction").GetString()!, p.GetProperty("amount_sat").GetInt64(), p.GetProperty("status").GetString()!))
            .ToList();
        Assert.Equal(rows.Count, result.GetProperty("count").GetInt32());
        return (result.GetProperty("total").GetInt64(), rows);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ByDefaultSuccessAndPendingPaymentsNewestFirstWithTheirTotal()
    {
        var (total, rows) = await PaymentsAsync(new { });

        Assert.Equal(3, total);
        Assert.Equal([("outgoing", 1_000L, "success"), ("incoming", 700L, "pending"), ("incoming", 5_000L, "success")], rows);
    }

    [Fact]
    public async Task StatusSelectsFailedOrAllPayments()
    {
        var failed = await PaymentsAsync(new { status = "failed" });
        var all = await PaymentsAsync(new { status = "all" });
        var pending = await PaymentsAsync(new { status = "Pending" });

        Assert.Equal((1L, ("outgoing", 2_000L, "failed")), (failed.Total, Assert.Single(failed.Rows)));
        Assert.Equal(4, all.Total);
        Assert.Equal(("failed", 4), (all.Rows[0].Status, all.Rows.Count));
        Assert.Equal((1L, ("incoming", 700L, "pending")), (pending.Total, Assert.Single(pending.Rows)));
    }

    [Fact]
    public async Task DirectionSelectsIncomingOrOutgoing()
    {
        var incoming = await PaymentsAsync(new { direction = "incoming" });
        var outgoing = await PaymentsAsync(new { direction = "outgoing", status = "all" });

        Assert.Equal(2, incoming.Total);
        Assert.All(incoming.Rows, r => Assert.Equal("incoming", r.Direction));
        Assert.Equal([("outgoing", 2_000L, "failed"), ("outgoing", 1_000L, "success")], outgoing.Rows);
    }

    [Fact]
    public async Task SinceAndUntilBoundTheTimeAndADateAloneCoversTheWholeDay()
    {
        var since = await PaymentsAsync(new { since = Iso(history.Between) });
        var until = await PaymentsAsync(new { until = Iso(history.Between) });
        var withOffset = await PaymentsAsync(new { since = history.Between.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) });
        var today = await PaymentsAsync(new { since = $"{history.Between.UtcDateTime:yyyy-MM-dd}", until = $"{history.Between.UtcDateTime:yyyy-MM-dd}", status = "all" });
        var yesterday = await PaymentsAsync(new { until = $"{history.Between.UtcDateTime.AddDays(-1):yyyy-MM-dd}" });

        Assert.Equal([("outgoing", 1_000L, "success"), ("incoming", 700L, "pending")], since.Rows);
        Assert.Equal([("incoming", 5_000L, "success")], until.Rows);
        Assert.Equal(2, withOffset.Total);
        Assert.Equal(4, today.Total);
        Assert.Equal(0, yesterday.Total);
    }

    [Fact]
    public async Task SearchFindsTextInTheMemo()
    {
        var coffee = await PaymentsAsync(new { search = "COFFEE" });

        Assert.Equal((1L, ("incoming", 5_000L, "success")), (coffee.Total, Assert.Single(coffee.Rows)));
    }

    [Fact]
    public async Task FiltersCombineAndTheTotalCountsEveryMatchBeyondThePage()
    {
        var first = await PaymentsAsync(new { direction = "outgoing", status = "all", since = Iso(history.Between), limit = 1 });
        var second = await PaymentsAsync(new { direction = "outgoing", status = "all", since = Iso(history.Between), limit = 1, offset = 1 });
        var pastTheEnd = await PaymentsAsync(new { offset = 50 });

        Assert.Equal((2L, ("outgoing", 2_000L, "failed")), (first.Total, Assert.Single(first.Rows)));
        Assert.Equal((2L, ("outgoing", 1_000L, "success")), (second.Total, Assert.Single(second.Rows)));
        Assert.Equal((3L, 0), (pastTheEnd.Total, pastTheEnd.Rows.Count)); // LNbits says 0 for an empty page; the tool asks again
    }

    [Theory]
    [InlineData("direction", "sideways", "direction must be incoming or outgoing")]
    [InlineData("status", "done", "status must be success, pending, failed or all")]
    [InlineData("since", "yesterday", "since must be an ISO-8601 date or date-time")]
    [InlineData("until", "20/03/2026", "until must be an ISO-8601 date or date-time")]
    [InlineData("search", " ", "search must be 1 to 200 characters")]
    public async Task ABadFilterValueIsAnInvalidArgumentNamingIt(string argument, string value, string message)
    {
        var error = await history.Client.CallErrorAsync("get_payments", "invalid_argument", new Dictionary<string, object> { [argument] = value });

        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinceMustComeBeforeUntil()
    {
        var error = await history.Client.CallErrorAsync("get_payments", "invalid_argument", new { since = "2026-03-21", until = "2026-03-20" });

        Assert.Contains("must be before until", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
