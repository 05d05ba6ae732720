using System.Collections.Concurrent;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// Which connections this instance saw live in the store within the last <see cref="TrustedFor"/>: a connection
/// sends a call after call with its token, and asking the store before each one cost a quarter of an OAuth tool
/// call's CPU. A confirmation counts from the moment its read was sent, so it can only be older than it looks.
/// Whatever ends a connection (<see cref="Connections"/>: a revocation, a replayed code, a reused refresh token)
/// forgets it here and then waits <see cref="TrustedFor"/> and a <see cref="Margin"/> before it answers
/// (<see cref="OutlastConfirmationsAsync"/>): by then no instance still trusts a confirmation read before the end,
/// so every token of the connection is refused on every instance from the moment the revocation answers. Registered with the system's clock, not the
/// application's <see cref="TimeProvider"/>: the window is real time between processes.
/// </summary>
public sealed class ConnectionLiveness(TimeProvider clock)
{
    /// <summary>How long a confirmation is trusted; an ending waits this and <see cref="Margin"/> before it answers.</summary>
    public static readonly TimeSpan TrustedFor = TimeSpan.FromMilliseconds(250);

    private readonly long _trustedTicks = (long)(TrustedFor.TotalSeconds * clock.TimestampFrequency);
    private readonly long _sweepTicks = clock.TimestampFrequency; // a second
    private readonly ConcurrentDictionary<(string Owner, string Connection), long> _confirmedAt = new();
    private long _sweptAt = clock.GetTimestamp();

    /// <summary>The moment a read of the store starts; pass it to <see cref="Confirmed"/> when the read finds the connection live.</summary>
    public long ReadStarts() => clock.GetTimestamp();

    /// <summary>Whether a read started within <see cref="TrustedFor"/> found the connection live.</summary>
    public bool RecentlyConfirmed(string owner, string connection) =>
        _confirmedAt.TryGetValue((owner, connection), out var readStartedAt) && clock.GetTimestamp() - readStartedAt < _trustedTicks;

    /// <summary>A read started at <paramref name="readStartedAt"/> found the connection live.</summary>
    public void Confirmed(string owner, string connection, long readStartedAt)
    {
        _confirmedAt.AddOrUpdate((owner, connection), readStartedAt, (_, known) => Math.Max(known, readStartedAt));
        SweepNowAndThen(readStartedAt);
    }

    /// <summary>How many confirmations are held (trusted or not yet swept).</summary>
    public int Count => _confirmedAt.Count;

    /// <summary>The connection ended (or a read found it gone): this instance stops trusting it at once.</summary>
    public void Forget(string owner, string connection) => _confirmedAt.TryRemove((owner, connection), out _);

    /// <summary>
    /// What an ending waits beyond <see cref="TrustedFor"/>: timers fire by a coarser clock than the one confirmations
    /// are timed by (a 250 ms delay was seen to end after 249.x ms of it), and each instance times by its own.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Waits until every confirmation read before now (on any instance) is no longer trusted — <see cref="TrustedFor"/>
    /// and <see cref="Margin"/>, measured by the clock confirmations are timed by; called by whatever ended a
    /// connection, after the store has it ended and before it answers.
    /// </summary>
    public async Task OutlastConfirmationsAsync()
    {
        var startedAt = clock.GetTimestamp();
        for (var left = TrustedFor + Margin; left > TimeSpan.Zero; left = TrustedFor + Margin - clock.GetElapsedTime(startedAt))
        {
            await Task.Delay(left, clock);
        }
    }

    /// <summary>Drops confirmations no longer trusted, at most once a second, so connections that went quiet do not stay.</summary>
    private void SweepNowAndThen(long now)
    {
        var sweptAt = Volatile.Read(ref _sweptAt);
        if (now - sweptAt < _sweepTicks || Interlocked.CompareExchange(ref _sweptAt, now, sweptAt) != sweptAt)
        {
            return;
        }

        foreach (var (key, readStartedAt) in _confirmedAt)
        {
            if (now - readStartedAt >= _trustedTicks)
            {
                _confirmedAt.TryRemove(new KeyValuePair<(string, string), long>(key, readStartedAt)); // unless confirmed again meanwhile
            }
        }
    }
}
