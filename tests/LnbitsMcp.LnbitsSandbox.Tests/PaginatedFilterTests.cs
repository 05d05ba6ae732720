using System.Globalization;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>
/// The filter syntax of GET /api/v1/payments/paginated as LNbits parses it (lnbits/decorators.py parse_filters,
/// lnbits/db.py Filter/Filters/fetch_page): status, amount sign (direction), time bounds, search, sort and total.
/// One wallet holds: an older settled incoming payment, then (a second later) a pending incoming invoice, a
/// settled outgoing payment and a failed outgoing payment.
/// </summary>
public sealed class PaginatedFilterTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    private TestWallet _wallet = null!;
    private DateTimeOffset _between;

    public async ValueTask InitializeAsync()
    {
        await Client.ResetSettingsAsync().WaitAsync(TestTimeout);
        _wallet = await Client.CreateWalletAsync("filters-" + Guid.NewGuid().ToString("N")[..6], 0).WaitAsync(TestTimeout);
        var early = await Client.CreateInvoiceAsync(_wallet, 5_000, "early coffee").WaitAsync(TestTimeout);
        Assert.Equal(200, (await Client.PostAsync($"/sandbox/invoices/{early["payment_hash"]!.GetValue<string>()}/settle", null).WaitAsync(TestTimeout)).Code);
        await Task.Delay(TimeSpan.FromMilliseconds(1100)).WaitAsync(TestTimeout);
        _between = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(1100)).WaitAsync(TestTimeout);
        await Client.CreateInvoiceAsync(_wallet, 700, "pending_tea").WaitAsync(TestTimeout);
        var (paid, _) = await Client.ExternalInvoiceAsync(1_000).WaitAsync(TestTimeout);
        Assert.Equal(201, (await Client.PayAsync(_wallet, paid).WaitAsync(TestTimeout)).Code);
        await Client.SettingsAsync(new JsonObject { ["pay_mode"] = "fail" }).WaitAsync(TestTimeout);
        var (failed, _) = await Client.ExternalInvoiceAsync(2_000).WaitAsync(TestTimeout);
        Assert.Equal(520, (await Client.PayAsync(_wallet, failed).WaitAsync(TestTimeout)).Code);
        await Client.ResetSettingsAsync().WaitAsync(TestTimeout);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(long Total, List<(long Amount, string Status)> Rows)> PageAsync(string query)
    {
        var response = await Client.GetAsync("/api/v1/payments/paginated?" + query, _wallet.InKey).WaitAsync(TestTimeout);
        Assert.Equal(200, response.Code);
        var rows = response.Object["data"]!.AsArray()
            .Select(p => (p!["amount"]!.GetValue<long>(), p["status"]!.GetValue<string>())).ToList();
        return (response.Long("total"), rows);
    }

    private static void Expect((long Total, List<(long Amount, string Status)> Rows) page, long total, params (long Amount, string Status)[] rows)
    {
        Assert.Equal(total, page.Total);
        Assert.Equal(rows, page.Rows);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task StatusFiltersIncludeFailedPaymentsWhichThePlainListLeavesOut()
    {
        var failed = await PageAsync("status=failed");
        var settledOrFailed = await PageAsync("status[in]=success,failed&sortby=amount&direction=asc");
        var notPending = await PageAsync("status[ne]=pending");
        var plain = await Client.PaymentsAsync(_wallet, "?limit=100").WaitAsync(TestTimeout);

        Expect(failed, 1, (-2_000_000L, "failed"));
        Assert.Equal([(-2_000_000L, "failed"), (-1_000_000L, "success"), (5_000_000L, "success")], settledOrFailed.Rows);
        Assert.Equal(3, notPending.Total);
        Assert.DoesNotContain(plain, p => p!["status"]!.GetValue<string>() == "failed");
    }

    [Fact]
    public async Task TheSignOfTheAmountSelectsADirection()
    {
        var incoming = await PageAsync("amount[gt]=0&sortby=amount&direction=desc");
        var outgoing = await PageAsync("amount[lt]=0&sortby=amount&direction=desc");

        Expect(incoming, 2, (5_000_000L, "success"), (700_000L, "pending"));
        Expect(outgoing, 2, (-1_000_000L, "success"), (-2_000_000L, "failed"));
    }

    [Fact]
    public async Task TimeBoundsTakeIsoOrUnixValuesToTheSecondAndADateAloneIsIgnored()
    {
        var after = await PageAsync($"time[ge]={Uri.EscapeDataString(Iso(_between))}");
        var before = await PageAsync($"time[lt]={Uri.EscapeDataString(Iso(_between))}");
        var unix = await PageAsync($"time[le]={_between.ToUnixTimeSeconds()}");
        var offset = await PageAsync($"time[ge]={Uri.EscapeDataString(_between.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))}");
        var dateOnly = await PageAsync($"time[ge]={_between.AddDays(1):yyyy-MM-dd}");

        Assert.Equal(3, after.Total);
        Expect(before, 1, (5_000_000L, "success"));
        Assert.Equal(1, unix.Total);
        Assert.Equal(3, offset.Total);
        Assert.Equal(4, dateOnly.Total); // pydantic refuses a date alone, so LNbits drops the filter
    }

    [Fact]
    public async Task SearchIsACaseInsensitiveLikeWhereUnderscoreMatchesAnyCharacter()
    {
        var coffee = await PageAsync("search=COFFEE");
        var wildcard = await PageAsync("search=pending_tea");
        var underscore = await PageAsync("search=early_coffee");

        Expect(coffee, 1, (5_000_000L, "success"));
        Assert.Equal(1, wildcard.Total);
        Assert.Equal(1, underscore.Total); // '_' matches the space of "early coffee"
    }

    [Fact]
    public async Task FiltersCombineAndTheTotalCountsAllMatchesButAnEmptyPageReportsZero()
    {
        var combined = await PageAsync($"amount[lt]=0&status[in]=success,failed&time[ge]={Uri.EscapeDataString(Iso(_between))}&limit=1&sortby=time&direction=desc");
        var second = await PageAsync($"amount[lt]=0&status[in]=success,failed&limit=1&offset=1&sortby=time&direction=desc");
        var pastTheEnd = await PageAsync("limit=10&offset=10");

        Expect(combined, 2, (-2_000_000L, "failed"));
        Expect(second, 2, (-1_000_000L, "success"));
        Assert.Equal((0L, 0), (pastTheEnd.Total, pastTheEnd.Rows.Count));
    }
}
