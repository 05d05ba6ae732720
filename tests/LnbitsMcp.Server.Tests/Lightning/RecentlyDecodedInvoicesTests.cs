using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>Decoding an invoice again (decode, dry run, pay) reuses the checked result; the kept invoices are a <see cref="LnbitsMcp.Server.Caching.BoundedMap{TKey, TValue}"/>.</summary>
public sealed class RecentlyDecodedInvoicesAreKept
{
    [Fact]
    public void AnInvoiceDecodedTwiceIsCheckedOnceAndGivesTheSameResult()
    {
        var text = new TestInvoiceBuilder("lnbc").Standard("kept").Build();

        Assert.True(Bolt11Decoder.TryDecode(text, out var first, out _));
        Assert.True(Bolt11Decoder.TryDecode(text, out var second, out _));

        Assert.Equal(first, second); // records: the same fields (usually the very instance kept)
        Assert.Equal("kept", second.Description);
    }

    [Fact]
    public void AnInvalidInvoiceIsRejectedEveryTime()
    {
        var valid = new TestInvoiceBuilder("lnbc").Standard().Build();
        var broken = valid[..^1] + (valid[^1] == 'q' ? 'p' : 'q'); // checksum broken

        Assert.False(Bolt11Decoder.TryDecode(broken, out _, out var error));
        Assert.False(Bolt11Decoder.TryDecode(broken, out _, out var again));
        Assert.Equal(error, again);
    }
}
