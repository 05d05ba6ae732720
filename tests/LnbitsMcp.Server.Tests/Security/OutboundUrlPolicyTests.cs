using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Security;

namespace LnbitsMcp.Server.Tests.Security;

public sealed class OutboundUrlPolicyTests
{
    [Theory]
    [InlineData("https://example.com/.well-known/lnurlp/alice", false, false, null)]
    [InlineData("https://93.184.216.34/x", false, false, null)]
    [InlineData("https://[2606:4700:4700::1111]/x", false, false, null)]
    [InlineData("http://example.com/x", false, false, "https is required for public hosts")]
    [InlineData("http://93.184.216.34/x", false, false, "https is required for public hosts")]
    [InlineData("http://93.184.216.34/x", true, false, "https is required for public hosts")]
    [InlineData("http://example.com/x", false, true, null)]
    [InlineData("http://93.184.216.34/x", false, true, null)]
    [InlineData("ftp://example.com/x", false, false, "the ftp scheme is not allowed")]
    [InlineData("file:///etc/passwd", true, true, "the file scheme is not allowed")]
    [InlineData("gopher://127.0.0.1:6379/_INFO", true, true, "the gopher scheme is not allowed")]
    [InlineData("https://user:secret@example.com/", false, false, "URLs with user info are not allowed")]
    [InlineData("https://127.0.0.1/x", false, false, "a loopback address")]
    [InlineData("http://127.0.0.1:5123/x", false, false, "a loopback address")]
    [InlineData("http://localhost:5123/x", false, false, "a loopback address")]
    [InlineData("http://api.localhost/x", false, false, "a loopback address")]
    [InlineData("https://[::1]/x", false, false, "a loopback address")]
    [InlineData("https://10.0.0.5/x", false, false, "a private-network address")]
    [InlineData("https://[::ffff:10.0.0.5]/x", false, false, "a private-network address")]
    [InlineData("https://100.64.1.1/x", false, false, "a carrier-grade NAT address")]
    [InlineData("https://[fd00::1]/x", false, false, "a unique-local IPv6 address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", true, true, "a cloud metadata address")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", true, true, "a cloud metadata address")]
    [InlineData("http://100.100.100.200/latest/meta-data/", true, true, "a cloud metadata address")]
    [InlineData("https://169.254.10.10/", true, true, "a link-local address")]
    [InlineData("https://[fe80::1]/", true, true, "a link-local address")]
    [InlineData("https://0.0.0.0/", true, true, "an unspecified address")]
    [InlineData("https://224.0.0.1/", true, true, "a multicast address")]
    [InlineData("https://255.255.255.255/", true, true, "the broadcast address")]
    [InlineData("http://127.0.0.1:5123/x", true, false, null)]
    [InlineData("http://localhost:5123/x", true, false, null)]
    [InlineData("http://10.1.2.3/x", true, false, null)]
    [InlineData("http://[::1]:5123/x", true, false, null)]
    [InlineData("https://2130706433/x", false, false, "a loopback address")]
    [InlineData("https://0x7f.1/x", false, false, "a loopback address")]
    public void AppliesSchemeUserInfoAndAddressRules(string url, bool allowPrivate, bool allowHttp, string? expectedReason)
    {
        var policy = new OutboundUrlPolicy(new SsrfGuardOptions { AllowPrivateNetworks = allowPrivate, AllowHttpForPublicHosts = allowHttp });

        var decision = policy.Check(new Uri(url));

        Assert.Equal(expectedReason is null, decision.IsAllowed);
        Assert.Equal(expectedReason, decision.Reason);
    }

    [Fact]
    public void AllowsPlainHttpToHostNamesOnlyIfTheyResolveToPrivateAddresses()
    {
        var policy = new OutboundUrlPolicy(new SsrfGuardOptions { AllowPrivateNetworks = true });

        var decision = policy.Check(new Uri("http://sandbox.internal:5123/.well-known/lnurlp/alice"));

        Assert.True(decision.IsAllowed);
        Assert.True(decision.RequiresPrivateAddresses);
    }

    [Fact]
    public void RefusesRelativeAndMissingUrls()
    {
        var policy = new OutboundUrlPolicy(new SsrfGuardOptions());

        Assert.Equal("not an absolute URL", policy.Check(null).Reason);
        Assert.Equal("not an absolute URL", policy.Check(new Uri("/x", UriKind.Relative)).Reason);
    }

    [Fact]
    public void EnsureAllowedThrowsWithTheHostButNotThePathOrQuery()
    {
        var policy = new OutboundUrlPolicy(new SsrfGuardOptions());

        var error = Assert.Throws<ForbiddenDestinationException>(
            () => policy.EnsureAllowed(new Uri("http://169.254.169.254/latest/meta-data/iam?token=s3cret")));

        Assert.Equal("169.254.169.254", error.Host);
        Assert.Equal("a cloud metadata address", error.Reason);
        Assert.Equal("destination 169.254.169.254 is not allowed: a cloud metadata address", error.Message);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("meta-data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesALnurlCallbackOnLoopbackByDefault()
    {
        const string Json =
            """{"callback":"http://127.0.0.1/lnurlp/cb/alice","minSendable":1000,"maxSendable":2000,"metadata":"[[\"text/plain\",\"x\"]]","tag":"payRequest"}""";
        Assert.True(LnurlPayRequest.TryParse(Json, out var request, out _));
        var policy = new OutboundUrlPolicy(new SsrfGuardOptions());

        var decision = policy.Check(LnurlPayRules.BuildCallbackUri(request.Callback, 1000, null));

        Assert.False(decision.IsAllowed);
        Assert.Equal("a loopback address", decision.Reason);
    }
}
