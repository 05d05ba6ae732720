namespace LnbitsMcp.LnbitsSandbox.Settings;

/// <summary>Holds the current <see cref="SandboxSettings"/>; <c>fail_next</c> is a separate atomic counter.</summary>
internal sealed class SettingsStore(SandboxOptions options)
{
    private readonly Lock _gate = new();
    private SandboxSettings _current = options.InitialSettings with { FailNext = 0 };
    private int _failNext = options.InitialSettings.FailNext;

    public SandboxSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _current with { FailNext = Volatile.Read(ref _failNext) };
            }
        }
    }

    public SandboxSettings Update(Func<SandboxSettings, SandboxSettings> change)
    {
        lock (_gate)
        {
            var updated = change(_current with { FailNext = Volatile.Read(ref _failNext) });
            Volatile.Write(ref _failNext, updated.FailNext);
            _current = updated with { FailNext = 0 };
            return updated;
        }
    }

    public SandboxSettings Reset() => Update(_ => options.InitialSettings);

    /// <summary>Takes one injected failure if any are left.</summary>
    public bool TryConsumeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failNext);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failNext, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
