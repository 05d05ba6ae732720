using System.Buffers.Binary;
using LnbitsMcp.Server.L402;

namespace LnbitsMcp.Server.Tests.L402;

/// <summary>WWW-Authenticate challenges of L402 and LSAT (lightninglabs/L402 protocol-specification.md) and the macaroon's payment hash.</summary>
public sealed class L402ChallengeParserTests
{
    [Theory]
    [InlineData("L402 version=\"0\", token=\"AgEtoken\", invoice=\"lnbcrt1x\"", "L402", "AgEtoken")]
    [InlineData("L402 macaroon=\"AgEmac==\", invoice=\"lnbcrt1x\"", "L402", "AgEmac==")]
    [InlineData("LSAT macaroon=\"AgEmac\", invoice=\"lnbcrt1x\"", "LSAT", "AgEmac")]
    [InlineData("l402 macaroon=AgEbare==, invoice=lnbcrt1x", "L402", "AgEbare==")]
    [InlineData("Bearer realm=\"api\", L402 token=\"AgEsecond\", invoice=\"lnbcrt1x\"", "L402", "AgEsecond")]
    [InlineData("LSAT macaroon=\"AgEold\", invoice=\"lnbcrt1x\", L402 macaroon=\"AgEnew\", invoice=\"lnbcrt1x\"", "L402", "AgEnew")]
    public void ReadsTheChallengeInEveryFormAndPrefersL402(string header, string scheme, string token)
    {
        var challenge = L402ChallengeParser.Parse([header], out var problem);

        Assert.Null(problem);
        Assert.Equal(new L402Challenge(scheme, token, "lnbcrt1x"), challenge);
        Assert.Equal($"{scheme} {token}:ab", challenge!.AuthorizationFor("ab"));
    }

    [Fact]
    public void TwoHeadersOfApertureGiveTheL402One()
    {
        var challenge = L402ChallengeParser.Parse(["LSAT macaroon=\"AgEa\", invoice=\"lnbcrt1a\"", "L402 macaroon=\"AgEa\", invoice=\"lnbcrt1a\""], out _);

        Assert.Equal("L402", challenge!.Scheme);
    }

    [Theory]
    [InlineData("Bearer realm=\"api\"", "no WWW-Authenticate challenge of the L402")]
    [InlineData("L402 version=\"1\", token=\"AgE\", invoice=\"lnbcrt1x\"", "only version 0")]
    [InlineData("L402 token=\"AgE\"", "lacks its token")]
    [InlineData("L402 invoice=\"lnbcrt1x\"", "lacks its token")]
    [InlineData("L402 token=\"a:b\", invoice=\"lnbcrt1x\"", "characters a credential cannot carry")]
    public void RefusesChallengesThatCannotBeAnswered(string header, string reason)
    {
        Assert.Null(L402ChallengeParser.Parse([header], out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMacaroonIdentifiersPaymentHashIsRead()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var identifier = new byte[66];
        BinaryPrimitives.WriteUInt16BigEndian(identifier, 0);
        hash.CopyTo(identifier, 2);
        byte[] location = [.. "lnbits-sandbox"u8];
        byte[] macaroon = [2, 1, (byte)location.Length, .. location, 2, 66, .. identifier, 0, 0, 6, 32, .. new byte[32]];

        Assert.Equal(Convert.ToHexStringLower(hash), MacaroonIdentifier.CommittedPaymentHash(Convert.ToBase64String(macaroon)));
        Assert.Equal(Convert.ToHexStringLower(hash), MacaroonIdentifier.CommittedPaymentHash(Convert.ToBase64String(macaroon).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
        identifier[1] = 1; // version 1: not an L402 identifier
        byte[] otherVersion = [2, 2, 66, .. identifier, 0];
        Assert.Null(MacaroonIdentifier.CommittedPaymentHash(Convert.ToBase64String(otherVersion)));
        Assert.Null(MacaroonIdentifier.CommittedPaymentHash("opaque-token"));
        Assert.Null(MacaroonIdentifier.CommittedPaymentHash(Convert.ToBase64String([2, 2, 200])));
    }
}
