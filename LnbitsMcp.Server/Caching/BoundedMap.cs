using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace LnbitsMcp.Server.Caching;

/// <summary>
/// Values kept by key, at most <c>capacity</c> of them: when a value is kept into a full map, the kept ones are dropped
/// together and it starts over. Bounded memory with no bookkeeping per read, for values that are cheap to make again
/// (a hash, a decoded invoice, a list fetched now and then); callers keep a value only after missing it.
/// </summary>
public sealed class BoundedMap<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _values = new(comparer);

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "at least one");

    public int Count => _values.Count;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _values.TryGetValue(key, out value);

    /// <summary>Keeps <paramref name="value"/> under <paramref name="key"/> (dropping everything first when full) and returns it.</summary>
    public TValue Keep(TKey key, TValue value)
    {
        if (_values.Count >= Capacity)
        {
            _values.Clear();
        }

        return _values[key] = value;
    }
}
