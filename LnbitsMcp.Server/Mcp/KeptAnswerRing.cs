namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// One block of memory, allocated once, that holds the encoded answers of quickly answered streams for a resume
/// (<see cref="LocalEventStreams"/>): each answer is copied in after the one before, and the oldest are overwritten
/// when it is full. An answer kept in an array of its own lived just long enough to outlast the young collections,
/// so the collector copied it twice and then collected it in full collections, about one a second under load; in
/// this block an answer allocates nothing and nothing of it is ever moved.
/// </summary>
/// <remarks>
/// A kept answer is known by its <see cref="Slot"/>: where it starts in the endless stream of bytes written so far
/// and its length. The block holds the last <c>capacity</c> bytes of that stream (an answer never wraps around its
/// end: the rest of the end is skipped), so a slot is intact while fewer than <c>capacity</c> bytes were written
/// from its start on. Writes and reads copy under one lock.
/// </remarks>
public sealed class KeptAnswerRing(int capacity = KeptAnswerRing.DefaultCapacity)
{
    /// <summary>8 MB: the last 4 000 or so answers of a few KB, more than <see cref="LocalEventStreams.MaxAnswered"/> keeps.</summary>
    public const int DefaultCapacity = 8 * 1024 * 1024;

    private readonly Lock _gate = new();
    private byte[]? _bytes; // made on the first answer kept
    private long _written;

    /// <summary>Where an answer was kept.</summary>
    public readonly record struct Slot(long Position, int Length);

    /// <summary>The most one answer may take (an eighth of the block); a larger one is kept in an array of its own.</summary>
    public int MaxLength => capacity / 8;

    /// <summary>Copies <paramref name="bytes"/> in; null when they are longer than <see cref="MaxLength"/>.</summary>
    public Slot? TryKeep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            return null;
        }

        lock (_gate)
        {
            var block = _bytes ??= GC.AllocateUninitializedArray<byte>(capacity);
            var offset = (int)(_written % capacity);
            if (offset + bytes.Length > capacity)
            {
                _written += capacity - offset; // skip the end: an answer is one piece
                offset = 0;
            }

            bytes.CopyTo(block.AsSpan(offset));
            var slot = new Slot(_written, bytes.Length);
            Volatile.Write(ref _written, _written + bytes.Length);
            return slot;
        }
    }

    /// <summary>Whether the answer in <paramref name="slot"/> is still here (not overwritten by later ones).</summary>
    public bool Holds(Slot slot) => Volatile.Read(ref _written) - slot.Position <= capacity;

    /// <summary>A copy of the answer in <paramref name="slot"/>; null when later answers have overwritten it.</summary>
    public byte[]? Read(Slot slot)
    {
        lock (_gate)
        {
            return _bytes is { } block && Holds(slot) ? block.AsSpan((int)(slot.Position % capacity), slot.Length).ToArray() : null;
        }
    }
}
