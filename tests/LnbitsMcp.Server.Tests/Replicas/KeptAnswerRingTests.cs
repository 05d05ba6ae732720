using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>
/// The block the quickly answered streams' answers are kept in: an answer reads back as it was kept until later
/// answers have taken the block's whole capacity after it; an answer is one piece (never split around the block's
/// end); one longer than an eighth of the block is not taken.
/// </summary>
public sealed class KeptAnswerRingTests
{
    private static byte[] Bytes(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void AnAnswerReadsBackUntilTheBlocksCapacityWasWrittenAfterIt()
    {
        var ring = new KeptAnswerRing(capacity: 1000);
        var first = ring.TryKeep(Bytes(100, 1))!.Value;
        var second = ring.TryKeep(Bytes(100, 2))!.Value;

        Assert.Equal(Bytes(100, 1), ring.Read(first));
        Assert.Equal(Bytes(100, 2), ring.Read(second));

        for (var i = 0; i < 8; i++)
        {
            ring.TryKeep(Bytes(100, (byte)(10 + i))); // 1 000 bytes written from the first's start on: it is still whole
        }

        Assert.True(ring.Holds(first));
        Assert.Equal(Bytes(100, 1), ring.Read(first));

        var eleventh = ring.TryKeep(Bytes(1, 99))!.Value; // its first byte now overwritten

        Assert.False(ring.Holds(first));
        Assert.Null(ring.Read(first));
        Assert.Equal(Bytes(100, 2), ring.Read(second));
        Assert.Equal(Bytes(1, 99), ring.Read(eleventh));
    }

    [Fact]
    public void AnAnswerThatDoesNotFitBeforeTheEndStartsAtTheBeginningWhole()
    {
        var ring = new KeptAnswerRing(capacity: 1000);
        var slots = Enumerable.Range(0, 9).Select(i => ring.TryKeep(Bytes(110, (byte)i))!.Value).ToList(); // 990 bytes

        var wrapped = ring.TryKeep(Bytes(50, 77))!.Value; // 10 bytes left at the end: skipped

        Assert.Equal(1000, wrapped.Position);
        Assert.Equal(Bytes(50, 77), ring.Read(wrapped));
        Assert.Null(ring.Read(slots[0])); // its start is where the new answer went
        Assert.Equal(Bytes(110, 1), ring.Read(slots[1]));
    }

    [Fact]
    public void AnAnswerLongerThanAnEighthOfTheBlockIsNotTaken()
    {
        var ring = new KeptAnswerRing(capacity: 800);

        Assert.Null(ring.TryKeep(Bytes(101, 1)));
        Assert.NotNull(ring.TryKeep(Bytes(100, 1)));
    }
}
