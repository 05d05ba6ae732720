using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 9 and lnurl.md: the Lightning-address service of sandbox wallets and
/// POST /api/v1/payments/lnurl in its current and legacy forms, with every lnurl_mode.</summary>
public sealed class LnurlTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string User(TestWallet wallet) => wallet.LightningAddress.Split('@')[0];

    private Task<ApiResponse> PayAddressAsync(TestWallet payer, string address, long amountMsat, string? comment = null)
    {
        var body = new JsonObject { ["lnurl"] = address, ["amount"] = amountMsat };
        if (comment is not null)
        {
            body["comment"] = comment;
        }

        return Client.PostAsync("/api/v1/payments/lnurl", body, payer.AdminKey);
    }

    [Fact]
    public async Task WellKnownServesAPayRequestWhoseIdentifierIsTheAddress()
    {
        var wallet = await Client.CreateWalletAsync("Lnurl Shop", 0).WaitAsync(TestTimeout);

        var response = await Client.GetAsync($"/.well-known/lnurlp/{User(wallet)}").WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.Equal("payRequest", response.Text("tag"));
        Assert.Equal($"{sandbox.BaseAddress.Scheme}://{sandbox.BaseAddress.Authority}/lnurlp/api/v1/lnurl/cb/{User(wallet)}",
            response.Text("callback"));
        Assert.Equal(1_000, response.Long("minSendable"));
        Assert.Equal(1_000_000_000, response.Long("maxSendable"));
        Assert.Equal(255, response.Long("commentAllowed"));
        var metadata = JsonNode.Parse(response.Text("metadata"))!.AsArray();
        Assert.Equal("[\"text/plain\",\"Payment to Lnurl Shop\"]", metadata[0]!.ToJsonString());
        Assert.Equal($"[\"text/identifier\",\"{wallet.LightningAddress}\"]", metadata[1]!.ToJsonString());
    }

    [Fact]
    public async Task CallbackInvoiceCommitsToTheMetadataAndTheRequestedMsat()
    {
        var wallet = await Client.CreateWalletAsync("committed", 0).WaitAsync(TestTimeout);
        var payRequest = await Client.GetAsync($"/.well-known/lnurlp/{User(wallet)}").WaitAsync(TestTimeout);

        var callback = await Client.GetAsync(payRequest.Text("callback") + "?amount=21500&comment=hi").WaitAsync(TestTimeout);

        Assert.Equal(200, callback.Code);
        Assert.Equal("message", callback.Object["successAction"]!["tag"]!.GetValue<string>());
        Assert.Empty(callback.Object["routes"]!.AsArray());
        var invoice = IndependentBolt11.Parse(callback.Text("pr"));
        Assert.Equal("lnbcrt215n", invoice.Hrp);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payRequest.Text("metadata"))));
        Assert.Equal(expected, invoice.Hex('h'));
    }

    [Fact]
    public async Task PayingALightningAddressMovesTheFundsAndAnswersThePayment()
    {
        var payer = await Client.CreateWalletAsync("ln-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("ln-payee", 0).WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, payee.LightningAddress.ToUpperInvariant(), 21_000, "thanks").WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.Equal("success", response.Text("status"));
        Assert.Equal(-21_000, response.Long("amount"));
        Assert.Equal("Payment to ln-payee", response.Text("memo"));
        Assert.Equal("thanks", response.Object["extra"]!["comment"]!.GetValue<string>());
        var action = JsonNode.Parse(response.Object["extra"]!["success_action"]!.GetValue<string>())!;
        Assert.Equal("message", action["tag"]!.GetValue<string>());
        Assert.Equal(21_000, await Client.BalanceMsatAsync(payee).WaitAsync(TestTimeout));
        Assert.Equal(1_000_000 - 21_000, await Client.BalanceMsatAsync(payer).WaitAsync(TestTimeout));
        var incoming = (await Client.PaymentsAsync(payee).WaitAsync(TestTimeout)).Single()!;
        Assert.Equal("lnurlp", incoming["tag"]!.GetValue<string>());
        Assert.Equal("thanks", incoming["extra"]!["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bech32LnurlAndAPassedPayRequestAlsoPay()
    {
        var payer = await Client.CreateWalletAsync("bech-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("bech-payee", 0).WaitAsync(TestTimeout);
        var url = $"{sandbox.BaseAddress.Scheme}://{sandbox.BaseAddress.Authority}/.well-known/lnurlp/{User(payee)}";
        var lnurl = Bech32Lnurl(url);
        var payRequest = await Client.GetAsync(url).WaitAsync(TestTimeout);

        var byLnurl = await PayAddressAsync(payer, lnurl, 5_000).WaitAsync(TestTimeout);
        var byRes = await Client.PostAsync("/api/v1/payments/lnurl",
            new JsonObject { ["res"] = payRequest.Object.DeepClone(), ["amount"] = 6_000 }, payer.AdminKey).WaitAsync(TestTimeout);

        Assert.Equal(200, byLnurl.Code);
        Assert.Equal(200, byRes.Code);
        Assert.Equal(11_000, await Client.BalanceMsatAsync(payee).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task AmountsOutsideTheRangeAnswer400()
    {
        var payer = await Client.CreateWalletAsync("range-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("range-payee", 0).WaitAsync(TestTimeout);

        var below = await PayAddressAsync(payer, payee.LightningAddress, 999).WaitAsync(TestTimeout);
        var above = await PayAddressAsync(payer, payee.LightningAddress, 1_000_000_001).WaitAsync(TestTimeout);

        Assert.Equal(400, below.Code);
        Assert.Equal("Amount 999 not in range 1000 - 1000000000", below.Detail);
        Assert.Equal("Amount 1000000001 not in range 1000 - 1000000000", above.Detail);
    }

    [Fact]
    public async Task TooLongCommentAnswers400()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_comment_allowed"] = 100 }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("comment-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("comment-payee", 0).WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, payee.LightningAddress, 21_000, new string('x', 101)).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.Equal("Comment length 101 exceeds allowed length 100", response.Detail);
    }

    [Fact]
    public async Task WrongAmountModeAnswers400InvalidInvoice()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_mode"] = "wrong_amount" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("amount-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("amount-payee", 0).WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, payee.LightningAddress, 21_000).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.Equal("127.0.0.1 returned an invalid invoice.Excepted `21000` msat, got `22000`.", response.Detail);
        Assert.Equal(1_000_000, await Client.BalanceMsatAsync(payer).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task WrongHashModeServesABadHashThatLnbitsPaysAnyway()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_mode"] = "wrong_hash" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("hash-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("hash-payee", 0).WaitAsync(TestTimeout);
        var payRequest = await Client.GetAsync($"/.well-known/lnurlp/{User(payee)}").WaitAsync(TestTimeout);
        var callback = await Client.GetAsync(payRequest.Text("callback") + "?amount=1000").WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, payee.LightningAddress, 21_000).WaitAsync(TestTimeout);

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payRequest.Text("metadata"))));
        Assert.NotEqual(expected, IndependentBolt11.Parse(callback.Text("pr")).Hex('h'));
        Assert.Equal(200, response.Code);
        Assert.Equal(21_000, await Client.BalanceMsatAsync(payee).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task ErrorModePassesTheServiceReasonThroughAs400()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_mode"] = "error" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("error-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("error-payee", 0).WaitAsync(TestTimeout);
        var payRequest = await Client.GetAsync($"/.well-known/lnurlp/{User(payee)}").WaitAsync(TestTimeout);
        var callback = await Client.GetAsync(payRequest.Text("callback") + "?amount=1000").WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, payee.LightningAddress, 21_000).WaitAsync(TestTimeout);

        Assert.Equal("ERROR", callback.Text("status"));
        Assert.Equal(400, response.Code);
        Assert.Equal(callback.Text("reason"), response.Detail);
    }

    [Fact]
    public async Task ExpiredModeInvoiceIsRefusedWhenPaid()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_mode"] = "expired" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("expired-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("expired-payee", 0).WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, payee.LightningAddress, 21_000).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Payment failed: invoice expired.", response.Detail);
        Assert.Equal(1_000_000, await Client.BalanceMsatAsync(payer).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task UnknownAddressAnswers400AndMissingTargetAnswers400()
    {
        var payer = await Client.CreateWalletAsync("nobody-payer", 1_000).WaitAsync(TestTimeout);

        var unknown = await PayAddressAsync(payer, $"nobody@{sandbox.BaseAddress.Authority}", 21_000).WaitAsync(TestTimeout);
        var missing = await Client.PostAsync("/api/v1/payments/lnurl", new JsonObject { ["amount"] = 1_000 }, payer.AdminKey)
            .WaitAsync(TestTimeout);

        Assert.Equal(400, unknown.Code);
        Assert.StartsWith("Client error '400 Bad Request'", unknown.Detail, StringComparison.Ordinal);
        Assert.Equal(400, missing.Code);
        Assert.Equal("Missing LNURL or LnurlPayResponse data.", missing.Detail);
    }

    [Fact]
    public async Task AbsentApiAnswers404NotFound()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_api"] = "absent" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("absent-payer", 1_000).WaitAsync(TestTimeout);

        var response = await PayAddressAsync(payer, "x@127.0.0.1:1", 1_000).WaitAsync(TestTimeout);

        Assert.Equal(404, response.Code);
        Assert.Equal("Not Found", response.Detail);
    }

    [Fact]
    public async Task LegacyApiTakesTheCallbackAndADescription()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_api"] = "legacy" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("legacy-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("legacy-payee", 0).WaitAsync(TestTimeout);
        var payRequest = await Client.GetAsync($"/.well-known/lnurlp/{User(payee)}").WaitAsync(TestTimeout);
        var metadataHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payRequest.Text("metadata"))));

        var current = await PayAddressAsync(payer, payee.LightningAddress, 21_000).WaitAsync(TestTimeout);
        var legacy = await Client.PostAsync("/api/v1/payments/lnurl", new JsonObject
        {
            ["description_hash"] = metadataHash,
            ["callback"] = payRequest.Text("callback"),
            ["amount"] = 21_000,
            ["comment"] = "old style",
            ["description"] = "Pay legacy",
        }, payer.AdminKey).WaitAsync(TestTimeout);

        Assert.Equal(400, current.Code);
        Assert.Contains(current.Object["detail"]!.AsArray(), i => i!["loc"]!.ToJsonString() == "[\"body\",\"callback\"]");
        Assert.Equal(200, legacy.Code);
        Assert.Equal("Pay legacy", legacy.Text("memo"));
        Assert.Equal(21_000, await Client.BalanceMsatAsync(payee).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task LegacyApiReportsServiceErrorsInTheOldWording()
    {
        await Client.SettingsAsync(new JsonObject { ["lnurl_api"] = "legacy", ["lnurl_mode"] = "error" }).WaitAsync(TestTimeout);
        var payer = await Client.CreateWalletAsync("legacy-err-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("legacy-err-payee", 0).WaitAsync(TestTimeout);
        var payRequest = await Client.GetAsync($"/.well-known/lnurlp/{User(payee)}").WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments/lnurl", new JsonObject
        {
            ["description_hash"] = "00",
            ["callback"] = payRequest.Text("callback"),
            ["amount"] = 21_000,
            ["description"] = "Pay legacy",
        }, payer.AdminKey).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.StartsWith($"{sandbox.BaseAddress.Authority} said: '", response.Detail, StringComparison.Ordinal);
    }

    private static string Bech32Lnurl(string url)
    {
        const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        var bytes = Encoding.UTF8.GetBytes(url);
        var groups = new List<byte>();
        int accumulator = 0, bits = 0;
        foreach (var b in bytes)
        {
            accumulator = (accumulator << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                groups.Add((byte)((accumulator >> bits) & 31));
            }
        }

        if (bits > 0)
        {
            groups.Add((byte)((accumulator << (5 - bits)) & 31));
        }

        const string hrp = "lnurl";
        byte[] values = [.. hrp.Select(c => (byte)(c >> 5)), 0, .. hrp.Select(c => (byte)(c & 31)), .. groups, 0, 0, 0, 0, 0, 0];
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint checksum = 1;
        foreach (var value in values)
        {
            var top = checksum >> 25;
            checksum = ((checksum & 0x1ffffff) << 5) ^ value;
            for (var i = 0; i < 5; i++)
            {
                checksum ^= ((top >> i) & 1) == 1 ? generator[i] : 0;
            }
        }

        checksum ^= 1;
        var tail = Enumerable.Range(0, 6).Select(i => charset[(int)((checksum >> (5 * (5 - i))) & 31)]);
        return (hrp + "1" + new string([.. groups.Select(g => charset[g]), .. tail])).ToUpperInvariant();
    }
}
