using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

public sealed class LightningAddressTests
{
    [Theory]
    [InlineData("alice@example.com", "alice", "example.com", null, "https://example.com/.well-known/lnurlp/alice")]
    [InlineData("  Alice@Example.COM ", "alice", "example.com", null, "https://example.com/.well-known/lnurlp/alice")]
    [InlineData("lightning:alice@example.com", "alice", "example.com", null, "https://example.com/.well-known/lnurlp/alice")]
    [InlineData("bob+tips@pay.example.org", "bob+tips", "pay.example.org", null, "https://pay.example.org/.well-known/lnurlp/bob%2Btips")]
    [InlineData("u_1.x-y%@xn--bcher-kva.example", "u_1.x-y%", "xn--bcher-kva.example", null, "https://xn--bcher-kva.example/.well-known/lnurlp/u_1.x-y%25")]
    [InlineData("alice@127.0.0.1:5123", "alice", "127.0.0.1", 5123, "https://127.0.0.1:5123/.well-known/lnurlp/alice")]
    [InlineData("alice@localhost:5123", "alice", "localhost", 5123, "https://localhost:5123/.well-known/lnurlp/alice")]
    [InlineData("alice@[::1]:5123", "alice", "::1", 5123, "https://[::1]:5123/.well-known/lnurlp/alice")]
    [InlineData("alice@[2001:DB8::1]", "alice", "2001:db8::1", null, "https://[2001:db8::1]/.well-known/lnurlp/alice")]
    public void ParsesAddressesIncludingHostAndPort(string text, string username, string host, int? port, string wellKnown)
    {
        Assert.True(LightningAddress.TryParse(text, out var address, out var error), error);

        Assert.Equal(username, address.Username);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(wellKnown, address.WellKnownUri().AbsoluteUri);
    }

    [Fact]
    public void ParsesTheSandboxAddressAndGivesAnHttpUrlWhenAsked()
    {
        Assert.True(LightningAddress.TryParse("name@127.0.0.1:5123", out var address, out _));

        Assert.True(address.IsIpLiteral);
        Assert.Equal("127.0.0.1:5123", address.Domain);
        Assert.Equal("name@127.0.0.1:5123", address.ToString());
        Assert.Equal("http://127.0.0.1:5123/.well-known/lnurlp/name", address.WellKnownUri(useHttp: true).AbsoluteUri);
    }

    [Fact]
    public void KeepsBracketsForIpv6InTheDomain()
    {
        Assert.True(LightningAddress.TryParse("a@[::1]:80", out var address, out _));

        Assert.Equal("[::1]:80", address.Domain);
        Assert.Equal("a@[::1]:80", address.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("a@b@example.com")]
    [InlineData("al ice@example.com")]
    [InlineData("ali/ce@example.com")]
    [InlineData("alice!@example.com")]
    [InlineData("alice@exa mple.com")]
    [InlineData("alice@-bad.example")]
    [InlineData("alice@bad-.example")]
    [InlineData("alice@example..com")]
    [InlineData("alice@example.com.")]
    [InlineData("alice@example.com/path")]
    [InlineData("alice@example.com:0")]
    [InlineData("alice@example.com:65536")]
    [InlineData("alice@example.com:")]
    [InlineData("alice@example.com:80a")]
    [InlineData("alice@127.1")]
    [InlineData("alice@010.0.0.1")]
    [InlineData("alice@256.0.0.1")]
    [InlineData("alice@example.123")]
    [InlineData("alice@[::1")]
    [InlineData("alice@[zz::1]:80")]
    [InlineData("alice@[::1]x")]
    [InlineData("alice@[fe80::1%25eth0]")]
    [InlineData("alice@user:pass@example.com")]
    public void RejectsMalformedAddresses(string? text)
    {
        Assert.False(LightningAddress.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void RejectsOverlongAddresses()
    {
        Assert.False(LightningAddress.TryParse(new string('a', 400) + "@example.com", out _, out var error));
        Assert.Equal("lightning address too long", error);
    }
}
