using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 6: GET /api/v1/payments and /api/v1/payments/paginated.</summary>
public sealed class PaymentListTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxClient Client => sandbox.Client;

    private async Task<TestWallet> WalletWithInvoicesAsync(string name, int count)
    {
        var wallet = await Client.CreateWalletAsync(name, 0).WaitAsync(TestTimeout);
        for (var i = 1; i <= count; i++)
        {
            await Client.CreateInvoiceAsync(wallet, i, $"invoice {i}").WaitAsync(TestTimeout);
        }

        return wallet;
    }

    [Fact]
    public async Task ListIsAnArrayNewestFirstWithTenByDefault()
    {
        var wallet = await WalletWithInvoicesAsync("list-default", 12).WaitAsync(TestTimeout);

        var list = await Client.PaymentsAsync(wallet).WaitAsync(TestTimeout);

        Assert.Equal(10, list.Count);
        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(i => i * 1000L), list.Select(p => p!["amount"]!.GetValue<long>()));
    }

    [Fact]
    public async Task LimitAndOffsetPageThroughTheList()
    {
        var wallet = await WalletWithInvoicesAsync("list-paging", 6).WaitAsync(TestTimeout);

        var page = await Client.PaymentsAsync(wallet, "?limit=2&offset=3").WaitAsync(TestTimeout);
        var all = await Client.PaymentsAsync(wallet, "?limit=5000").WaitAsync(TestTimeout);

        Assert.Equal([3000L, 2000L], page.Select(p => p!["amount"]!.GetValue<long>()));
        Assert.Equal(6, all.Count);
    }

    [Fact]
    public async Task UnknownFiltersAreIgnoredAndKnownFiltersApply()
    {
        var wallet = await WalletWithInvoicesAsync("list-filters", 4).WaitAsync(TestTimeout);

        var ignored = await Client.PaymentsAsync(wallet, "?colour=blue&amount[between]=1&memo[eq]=invoice 2&fee=abc").WaitAsync(TestTimeout);
        var over = await Client.PaymentsAsync(wallet, "?amount[gt]=2000").WaitAsync(TestTimeout);
        var memo = await Client.PaymentsAsync(wallet, "?memo[like]=INVOICE 3").WaitAsync(TestTimeout);
        var sorted = await Client.PaymentsAsync(wallet, "?sortby=amount&direction=asc").WaitAsync(TestTimeout);

        Assert.Equal(["invoice 2"], ignored.Select(p => p!["memo"]!.GetValue<string>()));
        Assert.Equal([4000L, 3000L], over.Select(p => p!["amount"]!.GetValue<long>()));
        Assert.Equal(["invoice 3"], memo.Select(p => p!["memo"]!.GetValue<string>()));
        Assert.Equal([1000L, 2000L, 3000L, 4000L], sorted.Select(p => p!["amount"]!.GetValue<long>()));
    }

    [Fact]
    public async Task BadSortFieldAnswers400AndBadLimitAnswers400WithAList()
    {
        var wallet = await Client.CreateWalletAsync("list-bad", 0).WaitAsync(TestTimeout);

        var sort = await Client.GetAsync("/api/v1/payments?sortby=colour", wallet.InKey).WaitAsync(TestTimeout);
        var limit = await Client.GetAsync("/api/v1/payments?limit=ten", wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(400, sort.Code);
        Assert.Contains("Invalid sort field", sort.Detail, StringComparison.Ordinal);
        Assert.Equal(400, limit.Code);
        var issue = limit.Object["detail"]!.AsArray().Single()!;
        Assert.Equal("[\"query\",\"limit\"]", issue["loc"]!.ToJsonString());
        Assert.Equal("value is not a valid integer", issue["msg"]!.GetValue<string>());
        Assert.Equal("type_error.integer", issue["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task PaginatedAnswersDataAndTotalIncludingFailedPayments()
    {
        var wallet = await WalletWithInvoicesAsync("list-paginated", 3).WaitAsync(TestTimeout);

        var page = await Client.GetAsync("/api/v1/payments/paginated?limit=2", wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(200, page.Code);
        Assert.Equal(["data", "total"], page.Object.Select(p => p.Key));
        Assert.Equal(3, page.Long("total"));
        Assert.Equal([1000L, 2000L], page.Object["data"]!.AsArray().Select(p => p!["amount"]!.GetValue<long>()));
    }

    [Fact]
    public async Task ListsShowOnlyTheKeysWallet()
    {
        var mine = await WalletWithInvoicesAsync("list-mine", 1).WaitAsync(TestTimeout);
        await WalletWithInvoicesAsync("list-theirs", 2).WaitAsync(TestTimeout);

        var list = await Client.PaymentsAsync(mine).WaitAsync(TestTimeout);

        Assert.All(list, p => Assert.Equal(mine.Id, p!["wallet_id"]!.GetValue<string>()));
        Assert.Single(list);
    }
}
