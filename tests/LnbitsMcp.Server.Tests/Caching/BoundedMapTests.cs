using LnbitsMcp.Server.Caching;

namespace LnbitsMcp.Server.Tests.Caching;

public sealed class BoundedMapTests
{
    [Fact]
    public void AKeptValueIsFoundByItsKeyAndKeepReturnsIt()
    {
        var map = new BoundedMap<string, int>(capacity: 3, StringComparer.Ordinal);

        Assert.Equal(7, map.Keep("a", 7));

        Assert.True(map.TryGetValue("a", out var value));
        Assert.Equal(7, value);
        Assert.False(map.TryGetValue("A", out _)); // the comparer given: ordinal
    }

    [Fact]
    public void KeepingIntoAFullMapDropsWhatItHeldSoItNeverHoldsMoreThanItsCapacity()
    {
        var map = new BoundedMap<int, string>(capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            map.Keep(i, $"v{i}");
        }

        Assert.Equal(3, map.Count);

        map.Keep(3, "v3");

        Assert.Equal(1, map.Count);
        Assert.True(map.TryGetValue(3, out var kept));
        Assert.Equal("v3", kept);
        Assert.False(map.TryGetValue(0, out _));
    }

    [Fact]
    public void ACapacityBelowOneIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedMap<int, int>(capacity: 0));
}
