using System.Text;
using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>LUD-01 bech32 LNURLs and LUD-17 schemes.</summary>
public sealed class LnurlTests
{
    private const string Lud01Example =
        "LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS";

    private const string Lud01Url = "https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df";

    [Theory]
    [InlineData(Lud01Example)]
    [InlineData("lightning:" + Lud01Example)]
    [InlineData("  LIGHTNING:" + Lud01Example + " ")]
    public void DecodesTheLud01Example(string text)
    {
        Assert.True(Lnurl.TryDecode(text, out var uri, out var error), error);
        Assert.Equal(Lud01Url, uri.AbsoluteUri);
    }

    [Fact]
    public void DecodesTheLowercaseForm()
    {
        Assert.True(Lnurl.TryDecode(Lud01Example.ToLowerInvariant(), out var uri, out _));
        Assert.Equal(Lud01Url, uri.AbsoluteUri);
    }

    [Fact]
    public void DecodesLnurlsOfAnyLength()
    {
        var url = "https://example.com/lnurlp/" + new string('a', 500);
        var lnurl = Bech32.Encode("lnurl", Bech32.ToWords(Encoding.UTF8.GetBytes(url)));

        Assert.True(Lnurl.TryDecode(lnurl, out var uri, out _));
        Assert.Equal(url, uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("lnurlp://example.com/lnurlp/alice", "https://example.com/lnurlp/alice")]
    [InlineData("LNURLP://example.com:8443/p?x=1", "https://example.com:8443/p?x=1")]
    [InlineData("lnurlp://abcdef.onion/lnurlp/alice", "http://abcdef.onion/lnurlp/alice")]
    [InlineData("https://example.com/lnurlp/alice", "https://example.com/lnurlp/alice")]
    public void ConvertsLud17SchemesToHttpUrls(string text, string expected)
    {
        Assert.True(Lnurl.TryDecode(text, out var uri, out var error), error);
        Assert.Equal(expected, uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(null, "empty LNURL")]
    [InlineData("ftp://example.com/x", "unsupported LNURL scheme 'ftp'")]
    [InlineData("LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNs", "invalid LNURL: mixed case")]
    [InlineData("LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNQ", "invalid LNURL: checksum invalid")]
    public void RejectsMalformedLnurls(string? text, string expectedError)
    {
        Assert.False(Lnurl.TryDecode(text, out var uri, out var error));
        Assert.Null(uri);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void RejectsBech32WithAnotherPrefix()
    {
        Assert.False(Lnurl.TryDecode(Bolt11SpecVectors.Donation, out _, out var error));
        Assert.Equal("invalid LNURL: prefix must be lnurl", error);
    }

    [Fact]
    public void RejectsAnLnurlThatDoesNotCarryAnHttpUrl()
    {
        var lnurl = Bech32.Encode("lnurl", Bech32.ToWords(Encoding.UTF8.GetBytes("javascript:alert(1)")));

        Assert.False(Lnurl.TryDecode(lnurl, out _, out var error));
        Assert.Equal("invalid LNURL: not an http(s) URL", error);
    }
}
