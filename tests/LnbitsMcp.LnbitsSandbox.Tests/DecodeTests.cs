using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 8: POST /api/v1/payments/decode.</summary>
public sealed class DecodeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxClient Client => sandbox.Client;

    [Fact]
    public async Task DecodesTheSpecCoffeeInvoiceWithoutAuthAsTheBolt11LibraryDict()
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = Bolt11Vectors.SpecCoffee })
            .WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.Equal(
            ["currency", "amount_msat", "date", "signature", "expiry", "payment_hash", "payment_secret", "description", "features",
                "min_final_cltv_expiry", "payee"],
            response.Object.Select(p => p.Key));
        Assert.Equal("bc", response.Text("currency"));
        Assert.Equal(250_000_000, response.Long("amount_msat"));
        Assert.Equal(1_496_314_658, response.Long("date"));
        Assert.Equal(60, response.Long("expiry"));
        Assert.Equal(Bolt11Vectors.SpecPaymentHash, response.Text("payment_hash"));
        Assert.Equal(new string('1', 64), response.Text("payment_secret"));
        Assert.Equal("1 cup coffee", response.Text("description"));
        Assert.Equal(Bolt11Vectors.SpecPayee, response.Text("payee"));
        Assert.Equal(128, response.Text("signature").Length);
        Assert.Equal(18, response.Long("min_final_cltv_expiry"));
        Assert.Equal("{\"var_onion_optin\":\"required\",\"payment_secret\":\"required\"}", response.Object["features"]!.ToJsonString());
    }

    [Fact]
    public async Task AmountlessInvoiceDecodesWithAmountZero()
    {
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(null).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = bolt11 }).WaitAsync(TestTimeout);

        Assert.Equal(0, response.Long("amount_msat"));
        Assert.Equal("bcrt", response.Text("currency"));
        Assert.Equal(hash, response.Text("payment_hash"));
        Assert.Equal(IndependentBolt11.Parse(bolt11).SignerNodeId, response.Text("payee"));
    }

    [Fact]
    public async Task FilterFieldsKeepOnlyTheNamedKeys()
    {
        var response = await Client.PostAsync("/api/v1/payments/decode",
            new JsonObject { ["data"] = Bolt11Vectors.SpecCoffee, ["filter_fields"] = new JsonArray("payment_hash", "amount_msat") })
            .WaitAsync(TestTimeout);

        Assert.Equal(["amount_msat", "payment_hash"], response.Object.Select(p => p.Key));
    }

    [Fact]
    public async Task GarbageAnswers400WithMessageNotDetail()
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = "lnbc1garbage" }).WaitAsync(TestTimeout);
        var tampered = await Client.PostAsync("/api/v1/payments/decode",
            new JsonObject { ["data"] = Bolt11Vectors.SpecCoffee[..^1] + "q" }).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.Equal(new JsonObject { ["message"] = "Failed to decode: Bech32 string is not valid." }.ToJsonString(),
            response.Body!.ToJsonString());
        Assert.Equal("Failed to decode: Bech32 string is not valid.", tampered.Text("message"));
    }

    [Fact]
    public async Task LnurlDecodesToItsDomainUrl()
    {
        const string lnurl =
            "LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS";

        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = lnurl }).WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.Equal(
            "https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df",
            response.Text("domain"));
    }

    [Fact]
    public async Task MissingDataAnswers400WithAValidationList()
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject()).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.Equal("[{\"loc\":[\"body\",\"data\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]",
            response.Object["detail"]!.ToJsonString());
    }

    [Fact]
    public async Task RouteHintsAndDescriptionHashDecodeAsTheBolt11LibraryNamesThem()
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = Bolt11Vectors.RouteHints })
            .WaitAsync(TestTimeout);

        Assert.Equal(2_000_000_000, response.Long("amount_msat"));
        Assert.Equal("3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1", response.Text("description_hash"));
        Assert.Null(response.Object["description"]);
        Assert.Equal(
            "[[{\"public_key\":\"029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255\",\"short_channel_id\":\"66051x263430x1800\","
            + "\"base_fee\":1,\"ppm_fee\":20,\"cltv_expiry_delta\":3},"
            + "{\"public_key\":\"039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255\",\"short_channel_id\":\"197637x395016x2314\","
            + "\"base_fee\":2,\"ppm_fee\":30,\"cltv_expiry_delta\":4}]]",
            response.Object["route_hints"]!.ToJsonString());
        Assert.Equal(Bolt11Vectors.SpecPayee, response.Text("payee"));
        Assert.Equal("1RustyRX2oai4EYYDpQGWvEL62BBGqN9T", response.Text("fallback"));
    }

    [Theory]
    [InlineData(Bolt11Vectors.FallbackP2sh, "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX")]
    [InlineData(Bolt11Vectors.FallbackP2wpkh, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    public async Task FallbackAddressesAreRendered(string invoice, string address)
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = invoice }).WaitAsync(TestTimeout);

        Assert.Equal(address, response.Text("fallback"));
    }

    [Fact]
    public async Task UnknownFeatureBitsAreNamedExtra()
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = Bolt11Vectors.Features99 })
            .WaitAsync(TestTimeout);

        Assert.Equal("{\"var_onion_optin\":\"required\",\"payment_secret\":\"required\",\"extra_49\":\"supported\"}",
            response.Object["features"]!.ToJsonString());
        Assert.Equal("coffee beans", response.Text("description"));
    }

    [Theory]
    [InlineData(Bolt11Vectors.BadChecksum, "Bech32 string is not valid.")]
    [InlineData(Bolt11Vectors.InvalidMultiplier, "Invalid shortened amount.")]
    [InlineData(Bolt11Vectors.MissingSecret, "Must include 'payment_secret'")]
    [InlineData(Bolt11Vectors.HighSWithPayee, "Included `payee` could not be verified")]
    public async Task InvalidSpecVectorsFailWithTheLibrarysMessage(string invoice, string reason)
    {
        var response = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = invoice }).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        Assert.Equal($"Failed to decode: {reason}", response.Text("message"));
    }
}
