using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>The LNURL-pay flow of lnurl.md §2–§4 on the §6 fixture.</summary>
public sealed class LnurlPayTests
{
    private const string Metadata = "[[\"text/plain\",\"Pay to alice\"],[\"text/identifier\",\"alice@example.com\"]]";

    private const string Fixture =
        """
        {"callback":"https://example.com/lnurlp/cb/alice","minSendable":1000,"maxSendable":10000000,
         "metadata":"[[\"text/plain\",\"Pay to alice\"],[\"text/identifier\",\"alice@example.com\"]]",
         "tag":"payRequest","commentAllowed":100}
        """;

    private const long InvoiceTime = 1_700_000_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(InvoiceTime + 10);

    [Fact]
    public void ParsesTheFixtureKeepingTheRawMetadata()
    {
        var request = Parse(Fixture);

        Assert.Equal(new Uri("https://example.com/lnurlp/cb/alice"), request.Callback);
        Assert.Equal(1000, request.MinSendableMsat);
        Assert.Equal(10_000_000, request.MaxSendableMsat);
        Assert.Equal(1, request.MinSendableSat);
        Assert.Equal(10_000, request.MaxSendableSat);
        Assert.False(request.IsFixedAmount);
        Assert.Equal(Metadata, request.Metadata);
        Assert.Equal("Pay to alice", request.Description);
        Assert.Equal("alice@example.com", request.Identifier);
        Assert.Equal(100, request.CommentAllowed);
        Assert.Empty(request.MandatoryPayerData);
    }

    [Fact]
    public void ParsesFromAJsonElementToo()
    {
        using var document = JsonDocument.Parse(Fixture);

        Assert.True(LnurlPayRequest.TryParse(document.RootElement, out var request, out _));
        Assert.Equal(Metadata, request.Metadata);
    }

    [Fact]
    public void RoundsSatBoundsInward()
    {
        var request = Parse(Fixture.Replace("\"minSendable\":1000", "\"minSendable\":1500", StringComparison.Ordinal)
            .Replace("\"maxSendable\":10000000", "\"maxSendable\":1999", StringComparison.Ordinal));

        Assert.Equal(2, request.MinSendableSat);
        Assert.Equal(1, request.MaxSendableSat);
    }

    [Fact]
    public void BuildsTheFixtureCallbackRequest()
    {
        var request = Parse(Fixture);

        var uri = LnurlPayRules.BuildCallbackUri(request.Callback, 21000, "hi");

        Assert.Equal("https://example.com/lnurlp/cb/alice?amount=21000&comment=hi", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://example.com/cb", 5000, null, "https://example.com/cb?amount=5000")]
    [InlineData("https://example.com/cb", 5000, "", "https://example.com/cb?amount=5000")]
    [InlineData("https://example.com/cb?k=1", 5000, null, "https://example.com/cb?k=1&amount=5000")]
    [InlineData("https://example.com/cb?k=1&", 5000, null, "https://example.com/cb?k=1&amount=5000")]
    [InlineData("https://example.com:8443/cb?a=%2F", 1, "a & b/é?", "https://example.com:8443/cb?a=%2F&amount=1&comment=a%20%26%20b%2F%C3%A9%3F")]
    public void BuildsCallbackUrisKeepingTheQueryAndEncodingTheComment(string callback, long amount, string? comment, string expected)
    {
        Assert.Equal(expected, LnurlPayRules.BuildCallbackUri(new Uri(callback), amount, comment).AbsoluteUri);
    }

    [Theory]
    [InlineData(999, "amount 999 msat is below the minimum of 1000 msat")]
    [InlineData(10_000_001, "amount 10000001 msat is above the maximum of 10000000 msat")]
    [InlineData(1000, null)]
    [InlineData(21000, null)]
    [InlineData(10_000_000, null)]
    public void ChecksTheAmountRange(long amountMsat, string? expectedError)
    {
        Assert.Equal(expectedError, LnurlPayRules.CheckAmount(Parse(Fixture), amountMsat));
    }

    [Fact]
    public void ChecksTheCommentLength()
    {
        var request = Parse(Fixture);

        Assert.Null(LnurlPayRules.CheckComment(request, null));
        Assert.Null(LnurlPayRules.CheckComment(request, "hi"));
        Assert.Null(LnurlPayRules.CheckComment(request, new string('x', 100)));
        Assert.Null(LnurlPayRules.CheckComment(request, string.Concat(Enumerable.Repeat("⚡", 100))));
        Assert.Equal(
            "comment is 101 characters; this recipient accepts at most 100",
            LnurlPayRules.CheckComment(request, new string('x', 101)));
    }

    [Fact]
    public void RefusesCommentsWhenNoneAreAllowed()
    {
        var request = Parse(Fixture.Replace(",\"commentAllowed\":100", string.Empty, StringComparison.Ordinal));

        Assert.Equal(0, request.CommentAllowed);
        Assert.Equal("this recipient does not accept comments", LnurlPayRules.CheckComment(request, "hi"));
        Assert.Null(LnurlPayRules.CheckComment(request, string.Empty));
    }

    [Fact]
    public void ReportsMandatoryPayerData()
    {
        var request = Parse(Fixture.Replace(
            "\"commentAllowed\":100",
            "\"commentAllowed\":100,\"payerData\":{\"name\":{\"mandatory\":false},\"email\":{\"mandatory\":true}}",
            StringComparison.Ordinal));

        Assert.Equal(["email"], request.MandatoryPayerData);
        Assert.Equal("the recipient requires payer data (email)", LnurlPayRules.CheckPayerData(request));
        Assert.Null(LnurlPayRules.CheckPayerData(Parse(Fixture)));
    }

    [Fact]
    public void AcceptsTheInvoiceThatMatchesAmountAndMetadataHash()
    {
        var invoice = Invoice("lnbc210n", b => b.DescriptionHashOf(Metadata));

        var check = LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(LnurlInvoiceCheck.Valid, check);
        Assert.Equal(Sha256Hex(Metadata), invoice.DescriptionHash);
    }

    [Fact]
    public void RejectsAnInvoiceForADifferentAmount()
    {
        var invoice = Invoice("lnbc220n", b => b.DescriptionHashOf(Metadata));

        var check = LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now);

        Assert.Equal(LnurlInvoiceProblem.AmountMismatch, check.Problem);
        Assert.Equal("invoice amount 22000 msat differs from the requested 21000 msat", check.Error);
    }

    [Fact]
    public void RejectsAnInvoiceWithTheWrongDescriptionHash()
    {
        var invoice = Invoice("lnbc210n", b => b.DescriptionHashOf(Metadata + " "));

        var check = LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now);

        Assert.Equal(LnurlInvoiceProblem.DescriptionHashMismatch, check.Problem);
    }

    [Fact]
    public void RejectsAnAmountlessInvoice()
    {
        var invoice = Invoice("lnbc", b => b.DescriptionHashOf(Metadata));

        var check = LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now);

        Assert.Equal(LnurlInvoiceProblem.Amountless, check.Problem);
    }

    [Fact]
    public void RejectsAnExpiredInvoice()
    {
        var invoice = Invoice("lnbc210n", b => b.DescriptionHashOf(Metadata).Expiry(60));

        var check = LnurlPayRules.ValidateInvoice(
            invoice, 21000, Metadata, LightningNetwork.Bitcoin, DateTimeOffset.FromUnixTimeSeconds(InvoiceTime + 60));

        Assert.Equal(LnurlInvoiceProblem.Expired, check.Problem);
    }

    [Fact]
    public void RejectsAnInvoiceForAnotherNetwork()
    {
        var invoice = Invoice("lntb210n", b => b.DescriptionHashOf(Metadata));

        var check = LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Regtest, Now);

        Assert.Equal(LnurlInvoiceProblem.WrongNetwork, check.Problem);
        Assert.Equal("invoice is for testnet, expected regtest", check.Error);
    }

    [Fact]
    public void RejectsAnInvoiceWhosePayeeFieldDoesNotMatchItsSignature()
    {
        var other = TestInvoiceBuilder.PublicKeyHex(TestInvoiceBuilder.NewPrivateKey());
        var invoice = Invoice("lnbc210n", b => b.DescriptionHashOf(Metadata).Payee(other));

        var check = LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now);

        Assert.Equal(LnurlInvoiceProblem.InvalidSignature, check.Problem);
    }

    [Fact]
    public void AcceptsAPlainDescriptionUnlessAHashIsRequired()
    {
        var invoice = Invoice("lnbc210n", b => b.Description("Pay to alice"));

        Assert.True(LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now).IsValid);
        Assert.Equal(
            LnurlInvoiceProblem.MissingDescriptionHash,
            LnurlPayRules.ValidateInvoice(invoice, 21000, Metadata, LightningNetwork.Bitcoin, Now, requireDescriptionHash: true).Problem);
    }

    [Fact]
    public void ReportsTheServiceErrorReason()
    {
        Assert.False(LnurlPayRequest.TryParse("{\"status\":\"ERROR\",\"reason\":\"Unknown user\"}", out var request, out var error));
        Assert.Null(request);
        Assert.Equal("service returned an error: Unknown user", error);
    }

    [Fact]
    public void CleansAndCapsTheServiceErrorReason()
    {
        var json = JsonSerializer.Serialize(new { status = "error", reason = "bad\nthing" + new string('x', 500) });

        Assert.False(LnurlPayRequest.TryParse(json, out _, out var error));
        Assert.StartsWith("service returned an error: bad thingxxx", error, StringComparison.Ordinal);
        Assert.True(error.Length < 240);
    }

    [Theory]
    [InlineData("", "empty response")]
    [InlineData("<html><body>500 Internal Server Error</body></html>", "response is not valid JSON")]
    [InlineData("[1,2]", "payRequest is not a JSON object")]
    [InlineData("{\"tag\":\"withdrawRequest\"}", "not a payRequest (tag must be payRequest)")]
    public void RejectsResponsesThatAreNotPayRequests(string json, string expectedError)
    {
        Assert.False(LnurlPayRequest.TryParse(json, out _, out var error));
        Assert.Equal(expectedError, error);
    }

    [Theory]
    [InlineData("\"minSendable\":1000", "\"minSendable\":0", "payRequest minSendable must be a whole number of msat, at least 1")]
    [InlineData("\"minSendable\":1000", "\"minSendable\":-5", "payRequest minSendable must be a whole number of msat, at least 1")]
    [InlineData("\"minSendable\":1000", "\"minSendable\":\"1000\"", "payRequest minSendable must be a whole number of msat, at least 1")]
    [InlineData("\"minSendable\":1000", "\"minSendable\":1000.5", "payRequest minSendable must be a whole number of msat, at least 1")]
    [InlineData("\"maxSendable\":10000000", "\"maxSendable\":999", "payRequest maxSendable must be a whole number of msat, at least minSendable")]
    [InlineData("\"callback\":\"https://example.com/lnurlp/cb/alice\"", "\"callback\":\"/lnurlp/cb/alice\"", "payRequest callback is not an absolute http(s) URL")]
    [InlineData("\"callback\":\"https://example.com/lnurlp/cb/alice\"", "\"callback\":\"ftp://example.com/cb\"", "payRequest callback is not an absolute http(s) URL")]
    [InlineData("\"callback\":\"https://example.com/lnurlp/cb/alice\"", "\"callback\":null", "payRequest callback is not an absolute http(s) URL")]
    [InlineData("\"tag\":\"payRequest\"", "\"tag\":\"PAYREQUEST\"", "not a payRequest (tag must be payRequest)")]
    public void RejectsInvalidPayRequestFields(string original, string replacement, string expectedError)
    {
        Assert.False(LnurlPayRequest.TryParse(Fixture.Replace(original, replacement, StringComparison.Ordinal), out _, out var error));
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void AcceptsWholeDecimalAmounts()
    {
        var request = Parse(Fixture.Replace("\"minSendable\":1000", "\"minSendable\":1000.0", StringComparison.Ordinal));

        Assert.Equal(1000, request.MinSendableMsat);
    }

    [Theory]
    [InlineData("[[\"text/identifier\",\"alice@example.com\"]]", "payRequest metadata must have exactly one text/plain entry")]
    [InlineData("[[\"text/plain\",\"a\"],[\"text/plain\",\"b\"]]", "payRequest metadata must have exactly one text/plain entry")]
    [InlineData("{\"text/plain\":\"a\"}", "payRequest metadata is not a JSON array")]
    [InlineData("[\"text/plain\"]", "payRequest metadata entries must be [type, content] arrays")]
    [InlineData("not json", "payRequest metadata is not valid JSON")]
    [InlineData("[[\"text/plain\",\"a\"],[\"image/png;base64\",\"AA==\"],[\"image/jpeg;base64\",\"AA==\"]]", "payRequest metadata has more than one image")]
    public void RejectsInvalidMetadata(string metadata, string expectedError)
    {
        var json = JsonSerializer.Serialize(new
        {
            callback = "https://example.com/cb",
            minSendable = 1000,
            maxSendable = 2000,
            metadata,
            tag = "payRequest",
        });

        Assert.False(LnurlPayRequest.TryParse(json, out _, out var error));
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void RejectsMetadataThatIsNotAString()
    {
        var json = Fixture.Replace(
            "\"metadata\":\"[[\\\"text/plain\\\",\\\"Pay to alice\\\"],[\\\"text/identifier\\\",\\\"alice@example.com\\\"]]\"",
            "\"metadata\":[[\"text/plain\",\"Pay to alice\"]]",
            StringComparison.Ordinal);

        Assert.False(LnurlPayRequest.TryParse(json, out _, out var error));
        Assert.Equal("payRequest metadata must be a string", error);
    }

    [Fact]
    public void ParsesACallbackResponseWithAMessageAction()
    {
        var callback = new Uri("https://example.com/lnurlp/cb/alice?amount=21000");
        var json = $$$"""{"pr":"{{{Bolt11SpecVectors.Donation}}}","routes":[],"successAction":{"tag":"message","message":"Thanks!"}}""";

        Assert.True(LnurlInvoiceResponse.TryParse(json, callback, out var response, out var error), error);

        Assert.Equal(Bolt11SpecVectors.Donation, response.PaymentRequest);
        Assert.Equal(new SuccessAction { Tag = "message", Message = "Thanks!" }, response.SuccessAction);
    }

    [Theory]
    [InlineData("{\"pr\":\"lnbc1\",\"successAction\":null}", true, null)]
    [InlineData("{\"pr\":\"lnbc1\"}", true, null)]
    [InlineData("{\"status\":\"ERROR\",\"reason\":\"Amount too low\"}", false, "service returned an error: Amount too low")]
    [InlineData("{\"routes\":[]}", false, "callback response has no invoice (pr)")]
    [InlineData("{\"pr\":\"lnbc1\",\"successAction\":{\"tag\":\"launch\"}}", false, "unsupported successAction tag 'launch'")]
    [InlineData("oops", false, "response is not valid JSON")]
    public void ChecksTheShapeOfCallbackResponses(string json, bool ok, string? expectedError)
    {
        Assert.Equal(ok, LnurlInvoiceResponse.TryParse(json, new Uri("https://example.com/cb"), out var response, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal(ok, response is not null);
    }

    private static LnurlPayRequest Parse(string json)
    {
        Assert.True(LnurlPayRequest.TryParse(json, out var request, out var error), error);
        return request;
    }

    private static Bolt11Invoice Invoice(string hrp, Func<TestInvoiceBuilder, TestInvoiceBuilder> fields)
    {
        var bolt11 = fields(new TestInvoiceBuilder(hrp, InvoiceTime).PaymentHash().PaymentSecret()).Build();
        Assert.True(Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error), error);
        return invoice;
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
