using System.Collections.Concurrent;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Sessions;

/// <summary>Sessions in this process only: the standalone server without Redis (one instance).</summary>
public sealed class InProcessSessionStore(TimeProvider time, IOptions<SessionsOptions> options) : ISessionStore
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _transports = new(StringComparer.Ordinal);
    private readonly Lock _createLock = new();

    private TimeSpan IdleTimeout => options.Value.IdleTimeout;

    public Task<CreatedSession> CreateAsync(SessionCreation request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = SessionId.New();
        var session = new AppSession { Key = SessionId.Key(id), Owner = request.Owner, CreatedAt = now, LastAccessedAt = now, IdleTimeout = request.IdleTimeout };
        var idle = request.IdleTimeout ?? IdleTimeout;
        lock (_createLock)
        {
            RemoveExpired(now);
            SessionCaps.Enforce(
                ownerCount: request.Owner is null ? 0 : _sessions.Values.Count(e => e.Session.Owner == request.Owner),
                addressCount: request.ClientAddress is null ? 0 : _sessions.Values.Count(e => e.ClientAddress == request.ClientAddress),
                request,
                options.Value);
            _sessions[session.Key] = new Entry(session, request.ClientAddress, now + idle);
        }

        return Task.FromResult(new CreatedSession(id, session, now + idle));
    }

    public Task<AppSession?> FindAsync(string sessionKey, CancellationToken cancellationToken) =>
        Task.FromResult(Touch(sessionKey));

    public Task<AppSession?> FindByTransportAsync(string transportSessionId, CancellationToken cancellationToken) =>
        Task.FromResult(_transports.TryGetValue(SessionId.Key(transportSessionId), out var key) ? Touch(key) : null);

    public Task BindTransportAsync(string transportSessionId, string sessionKey, CancellationToken cancellationToken)
    {
        _transports[SessionId.Key(transportSessionId)] = sessionKey;
        return Task.CompletedTask;
    }

    public Task<bool> SaveAsync(AppSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (_sessions.TryGetValue(session.Key, out var entry))
        {
            if (entry.ExpiresAt <= now)
            {
                return Task.FromResult(false);
            }

            if (_sessions.TryUpdate(session.Key, entry with { Session = session with { LastAccessedAt = now, IdleTimeout = entry.Session.IdleTimeout }, ExpiresAt = now + (entry.Session.IdleTimeout ?? IdleTimeout) }, entry))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken)
    {
        RemoveExpired(time.GetUtcNow());
        return Task.FromResult((long)_sessions.Count);
    }

    private AppSession? Touch(string sessionKey)
    {
        var now = time.GetUtcNow();
        while (_sessions.TryGetValue(sessionKey, out var entry))
        {
            if (entry.ExpiresAt <= now)
            {
                _sessions.TryRemove(KeyValuePair.Create(sessionKey, entry));
                return null;
            }

            var touched = entry with { Session = entry.Session with { LastAccessedAt = now }, ExpiresAt = now + (entry.Session.IdleTimeout ?? IdleTimeout) };
            if (_sessions.TryUpdate(sessionKey, touched, entry))
            {
                return touched.Session;
            }
        }

        return null;
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (key, entry) in _sessions)
        {
            if (entry.ExpiresAt <= now)
            {
                _sessions.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        foreach (var (transport, sessionKey) in _transports)
        {
            if (!_sessions.ContainsKey(sessionKey))
            {
                _transports.TryRemove(KeyValuePair.Create(transport, sessionKey));
            }
        }
    }

    private sealed record Entry(AppSession Session, string? ClientAddress, DateTimeOffset ExpiresAt);
}
