using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LnbitsMcp.LnbitsSandbox.L402;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>The sandbox-only L402 resource (/sandbox/l402/{name}) against the L402 protocol specification
/// (lightninglabs/L402 protocol-specification.md): challenge forms, the macaroon's commitment to the invoice,
/// paid credentials served and reused, and the test modes (wrong network, amountless, expired, liars, redirect).</summary>
public sealed partial class L402Tests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(HttpStatusCode Status, string[] Challenges, string Body, string? ContentType)> RequestAsync(
        string path, string? authorization = null, HttpMethod? method = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.Http.SendAsync(request).WaitAsync(TestTimeout);
        var challenges = response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values.ToArray() : [];
        return (response.StatusCode, challenges, await response.Content.ReadAsStringAsync().WaitAsync(TestTimeout), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Reads <c>token=</c>/<c>macaroon=</c> and <c>invoice=</c> out of one challenge.</summary>
    private static (string Scheme, string Token, string Invoice, string? Version) Parse(string challenge)
    {
        var match = ChallengePattern().Match(challenge);
        Assert.True(match.Success, challenge);
        var parameters = ParameterPattern().Matches(match.Groups["params"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
        var token = parameters.GetValueOrDefault("token") ?? parameters["macaroon"];
        return (match.Groups["scheme"].Value, token, parameters["invoice"], parameters.GetValueOrDefault("version"));
    }

    private async Task<(string Token, string Invoice)> ChallengeAsync(string path)
    {
        var (status, challenges, _, _) = await RequestAsync(path);
        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        var (_, token, invoice, _) = Parse(challenges[0]);
        return (token, invoice);
    }

    private async Task<string> PayAsync(string invoice)
    {
        var payer = await Client.CreateWalletAsync("l402-payer-" + Guid.NewGuid().ToString("N")[..6], 10_000).WaitAsync(TestTimeout);
        var paid = await Client.PayAsync(payer, invoice).WaitAsync(TestTimeout);
        Assert.Equal(201, paid.Code);
        Assert.Equal("success", paid.Text("status"));
        return paid.Text("preimage");
    }

    private async Task<JsonObject> DecodeAsync(string invoice)
    {
        var decoded = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = invoice }).WaitAsync(TestTimeout);
        Assert.Equal(200, decoded.Code);
        return decoded.Object;
    }

    private async Task<JsonObject> StatsAsync(string resource) =>
        (await Client.GetAsync("/sandbox/l402-stats").WaitAsync(TestTimeout)).Object[resource]!.AsObject();

    [Fact]
    public async Task TheChallengeFormFollowsTheSettingOrTheQuery()
    {
        var byDefault = await RequestAsync("/sandbox/l402/forms");
        var token = await RequestAsync("/sandbox/l402/forms?challenge=token");
        var lsat = await RequestAsync("/sandbox/l402/forms?challenge=lsat");
        var aperture = await RequestAsync("/sandbox/l402/forms?challenge=aperture");
        await Client.SettingsAsync(new JsonObject { ["l402_challenge"] = "token" }).WaitAsync(TestTimeout);
        var bySetting = await RequestAsync("/sandbox/l402/forms");

        Assert.Equal(HttpStatusCode.PaymentRequired, byDefault.Status);
        Assert.Matches("^L402 macaroon=\"[A-Za-z0-9+/=]+\", invoice=\"lnbcrt[0-9a-z]+\"$", Assert.Single(byDefault.Challenges));
        Assert.Matches("^L402 version=\"0\", token=\"[A-Za-z0-9+/=]+\", invoice=\"lnbcrt[0-9a-z]+\"$", Assert.Single(token.Challenges));
        Assert.Matches("^LSAT macaroon=\"[A-Za-z0-9+/=]+\", invoice=\"lnbcrt[0-9a-z]+\"$", Assert.Single(lsat.Challenges));
        Assert.Equal(["LSAT", "L402"], aperture.Challenges.Select(c => Parse(c).Scheme));
        Assert.Equal(Parse(aperture.Challenges[0]).Token, Parse(aperture.Challenges[1]).Token);
        Assert.Equal("0", Parse(Assert.Single(bySetting.Challenges)).Version);
        Assert.Equal(10, JsonNode.Parse(byDefault.Body)!["price_sats"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheTokenIsAV2MacaroonCommittingToThePaymentHashOfASignedRegtestInvoiceAtThePrice()
    {
        await Client.SettingsAsync(new JsonObject { ["l402_price_sats"] = 25 }).WaitAsync(TestTimeout);

        var (token, invoice) = await ChallengeAsync("/sandbox/l402/weather");

        var decoded = await DecodeAsync(invoice);
        Assert.Equal("bcrt", decoded["currency"]!.GetValue<string>());
        Assert.Equal(25_000, decoded["amount_msat"]!.GetValue<long>());
        var (external, _) = await Client.ExternalInvoiceAsync(1).WaitAsync(TestTimeout);
        Assert.Equal(IndependentBolt11.Parse(external).SignerNodeId, IndependentBolt11.Parse(invoice).SignerNodeId);
        var bytes = Convert.FromBase64String(token);
        Assert.Equal(2, bytes[0]);
        Assert.True(Macaroon.TryParse(bytes, out var macaroon));
        Assert.Equal(66, macaroon!.Identifier.Length);
        Assert.Equal([0, 0], macaroon.Identifier[..2]);
        Assert.Equal(decoded["payment_hash"]!.GetValue<string>(), Convert.ToHexStringLower(macaroon.Identifier.AsSpan(2, 32)));
        Assert.Equal(["services=weather:0"], macaroon.CaveatTexts);
        Assert.Equal(L402Paywall.Location, macaroon.Location);
    }

    [Fact]
    public async Task APaidCredentialIsServedAndReusedWithoutANewChallenge()
    {
        var (token, invoice) = await ChallengeAsync("/sandbox/l402/reuse");
        var preimage = await PayAsync(invoice);

        var first = await RequestAsync("/sandbox/l402/reuse", $"L402 {token}:{preimage}");
        var again = await RequestAsync("/sandbox/l402/reuse", $"LSAT {token}:{preimage}");
        var text = await RequestAsync("/sandbox/l402/reuse?format=text", $"l402 {token}:{preimage}");
        var posted = await RequestAsync("/sandbox/l402/reuse", $"L402 {token}:{preimage}", HttpMethod.Post, "{\"q\":1}");
        var large = await RequestAsync("/sandbox/l402/reuse?size=70000", $"L402 {token}:{preimage}");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var body = JsonNode.Parse(first.Body)!;
        Assert.Equal("reuse", body["resource"]!.GetValue<string>());
        Assert.Equal((await DecodeAsync(invoice))["payment_hash"]!.GetValue<string>(), body["payment_hash"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(("text/plain", HttpStatusCode.OK), (text.ContentType, text.Status));
        Assert.StartsWith("The L402 sandbox resource 'reuse'", text.Body, StringComparison.Ordinal);
        Assert.Equal(7, JsonNode.Parse(posted.Body)!["received_bytes"]!.GetValue<long>());
        Assert.Equal(70_000, Encoding.UTF8.GetByteCount(large.Body));
        var stats = await StatsAsync("reuse");
        Assert.Equal((1, 5, 0), (stats["challenges"]!.GetValue<long>(), stats["served"]!.GetValue<long>(), stats["refused"]!.GetValue<long>()));
    }

    [Fact]
    public async Task AWrongPreimageAnotherResourceOrAnAlteredTokenIsRefusedWith401AndAFreshChallenge()
    {
        var (token, invoice) = await ChallengeAsync("/sandbox/l402/guarded");
        var (otherToken, _) = await ChallengeAsync("/sandbox/l402/other");
        var preimage = await PayAsync(invoice);
        var altered = Convert.FromBase64String(token);
        altered[^1] ^= 1;

        var unpaidGuess = await RequestAsync("/sandbox/l402/guarded", $"L402 {token}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}");
        var wrongResource = await RequestAsync("/sandbox/l402/guarded", $"L402 {otherToken}:{preimage}");
        var tampered = await RequestAsync("/sandbox/l402/guarded", $"L402 {Convert.ToBase64String(altered)}:{preimage}");
        var malformed = await RequestAsync("/sandbox/l402/guarded", $"L402 {token}");

        Assert.Equal(HttpStatusCode.Unauthorized, unpaidGuess.Status);
        Assert.Contains("preimage does not match", unpaidGuess.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResource.Status);
        Assert.Contains("not valid for this resource", wrongResource.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.Status);
        Assert.Contains("not minted by this server or was altered", tampered.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, malformed.Status);
        Assert.All([unpaidGuess, wrongResource, tampered, malformed], r => Assert.NotEqual(token, Parse(Assert.Single(r.Challenges)).Token));
        Assert.Equal(4, (await StatsAsync("guarded"))["refused"]!.GetValue<long>());
    }

    [Fact]
    public async Task ALiarRefusesTheRightPreimageOrCommitsToAnotherInvoice()
    {
        var (preimageLiar, preimageLiarInvoice) = await ChallengeAsync("/sandbox/l402/liar?liar=preimage");
        await Client.SettingsAsync(new JsonObject { ["l402_liar"] = "other_invoice" }).WaitAsync(TestTimeout);
        var (otherLiar, otherLiarInvoice) = await ChallengeAsync("/sandbox/l402/liar");

        var refused = await RequestAsync("/sandbox/l402/liar", $"L402 {preimageLiar}:{await PayAsync(preimageLiarInvoice)}");
        Assert.True(Macaroon.TryParse(Convert.FromBase64String(otherLiar), out var macaroon));
        var shownHash = (await DecodeAsync(otherLiarInvoice))["payment_hash"]!.GetValue<string>();
        var mismatched = await RequestAsync("/sandbox/l402/liar", $"L402 {otherLiar}:{await PayAsync(otherLiarInvoice)}");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.NotEqual(shownHash, Convert.ToHexStringLower(macaroon!.Identifier.AsSpan(2, 32)));
        Assert.Equal(HttpStatusCode.Unauthorized, mismatched.Status);
        Assert.Contains("preimage does not match", mismatched.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvoiceModesGiveAWrongNetworkAnAmountlessOrAnExpiredInvoice()
    {
        var (_, wrongNetwork) = await ChallengeAsync("/sandbox/l402/modes?invoice=wrong_network");
        var (_, amountless) = await ChallengeAsync("/sandbox/l402/modes?invoice=amountless");
        await Client.SettingsAsync(new JsonObject { ["l402_invoice"] = "expired" }).WaitAsync(TestTimeout);
        var (_, expired) = await ChallengeAsync("/sandbox/l402/modes");

        Assert.StartsWith("lnbc1", wrongNetwork, StringComparison.Ordinal);
        Assert.Equal("bc", (await DecodeAsync(wrongNetwork))["currency"]!.GetValue<string>());
        Assert.Equal(0, (await DecodeAsync(amountless))["amount_msat"]!.GetValue<long>());
        var decodedExpired = await DecodeAsync(expired);
        Assert.True(decodedExpired["date"]!.GetValue<long>() + decodedExpired["expiry"]!.GetValue<long>() < DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var payer = await Client.CreateWalletAsync("l402-modes", 10_000).WaitAsync(TestTimeout);
        var paid = await Client.PayAsync(payer, wrongNetwork).WaitAsync(TestTimeout);
        Assert.Equal((520, "Payment failed: invoice is not for regtest (the sandbox's network)."), (paid.Code, paid.Detail));
    }

    [Fact]
    public async Task ARedirectFromTheQueryOrTheSettingIsAnsweredBeforeAnyChallenge()
    {
        var byQuery = await RequestAsync("/sandbox/l402/moved?redirect=" + Uri.EscapeDataString("http://127.0.0.1:9/private"));
        await Client.SettingsAsync(new JsonObject { ["l402_redirect_url"] = "http://127.0.0.1:9/latest" }).WaitAsync(TestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sandbox/l402/moved");
        using var bySetting = await Client.Http.SendAsync(request).WaitAsync(TestTimeout);

        Assert.Equal(HttpStatusCode.Redirect, byQuery.Status);
        Assert.Empty(byQuery.Challenges);
        Assert.Equal(HttpStatusCode.Redirect, bySetting.StatusCode);
        Assert.Equal("http://127.0.0.1:9/latest", bySetting.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("^(?<scheme>[A-Za-z0-9]+) (?<params>.*)$")]
    private static partial Regex ChallengePattern();

    [GeneratedRegex("(?<key>[a-z]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex ParameterPattern();
}
