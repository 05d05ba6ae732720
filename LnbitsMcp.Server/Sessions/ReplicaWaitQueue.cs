using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// The <c>WAIT</c>s of one process to one master, grouped. <c>WAIT</c> blocks the connection it is sent on —
/// and StackExchange.Redis sends every command of this process to that master on one connection — until a
/// replica acknowledged every write sent before it. One <c>WAIT</c> per write would line the connection up
/// behind a replica round trip per write (50 concurrent payments: 50 round trips in a row, long enough under
/// load for the other commands on that master to time out). So at most one <c>WAIT</c> is in flight; callers
/// arriving meanwhile share the next one, sent when it returns: it was sent after their writes were answered,
/// so it covers them.
/// </summary>
internal sealed class ReplicaWaitQueue(IServer master, TimeSpan timeout)
{
    private readonly Lock _gate = new();
    private bool _sending;
    private TaskCompletionSource<bool>? _next;

    /// <summary>True once a replica holds every write this process had answered by this master before the call; false after the timeout.</summary>
    public Task<bool> WaitAsync()
    {
        TaskCompletionSource<bool> waiter;
        lock (_gate)
        {
            if (_next is not null)
            {
                return _next.Task;
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_sending)
            {
                _next = waiter;
                return waiter.Task;
            }

            _sending = true;
        }

        _ = SendAsync(waiter);
        return waiter.Task;
    }

    private async Task SendAsync(TaskCompletionSource<bool> waiter)
    {
        while (true)
        {
            try
            {
                var acknowledged = await master.ExecuteAsync("WAIT", 1, (long)timeout.TotalMilliseconds).ConfigureAwait(false);
                waiter.TrySetResult((long)acknowledged >= 1);
            }
            catch (Exception error)
            {
                waiter.TrySetException(error);
            }

            lock (_gate)
            {
                if (_next is null)
                {
                    _sending = false;
                    return;
                }

                waiter = _next;
                _next = null;
            }
        }
    }
}
