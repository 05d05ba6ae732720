using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Makes the instances that share a Redis agree on one Data Protection key when they start.
/// <para>Each instance loads its key ring at startup and creates a key when the ring in Redis has none it can use.
/// Instances started together on an empty Redis could each create one: one instance then kept only its own key and
/// failed to open what another sealed (a session document, a stored event) once its first two minutes were over, the
/// only time Data Protection reads the ring again for a key it does not know. Here each instance loads its ring while
/// it holds a lock in Redis, so the first creates the key and the others read it.</para>
/// <para>Registered ahead of every other hosted service (Data Protection's own loads the ring too). If Redis cannot be
/// reached, or the lock is not free after <see cref="LockWait"/> (an instance died holding it), the instance starts
/// anyway, as it did before, and says so in its log.</para>
/// </summary>
public sealed partial class DataProtectionKeyAgreement(
    IConnectionMultiplexer redis,
    IDataProtectionProvider dataProtection,
    ILogger<DataProtectionKeyAgreement> logger) : IHostedService
{
    /// <summary>How long the lock lives if its holder dies before releasing it.</summary>
    public static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(15);

    /// <summary>How long an instance waits for the lock before it loads its ring without it.</summary>
    public static readonly TimeSpan LockWait = LockLifetime + TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        bool held;
        try
        {
            held = await TakeLockAsync(token, cancellationToken);
        }
        catch (Exception exception) when (RedisFailure.Is(exception))
        {
            LogRedisUnavailable(logger, exception.GetType().Name);
            return;
        }

        if (!held)
        {
            LogLockNotFree(logger, LockWait.TotalSeconds);
        }

        try
        {
            // Loading the ring creates the first key when Redis holds none; the ring stays cached for the requests.
            LoadKeyRing();
        }
        catch (Exception exception)
        {
            LogKeyRingNotLoaded(logger, exception.GetType().Name);
        }
        finally
        {
            if (held)
            {
                await ReleaseLockAsync(token);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LoadKeyRing() =>
        dataProtection.CreateProtector(nameof(DataProtectionKeyAgreement)).Protect([0]);

    private async Task<bool> TakeLockAsync(string token, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var deadline = DateTime.UtcNow + LockWait;
        while (!await database.LockTakeAsync(RedisKeys.DataProtectionKeysLock, token, LockLifetime))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(s_poll, cancellationToken);
        }

        return true;
    }

    private async Task ReleaseLockAsync(string token)
    {
        try
        {
            await redis.GetDatabase().LockReleaseAsync(RedisKeys.DataProtectionKeysLock, token);
        }
        catch (Exception exception) when (RedisFailure.Is(exception))
        {
            LogLockNotReleased(logger, exception.GetType().Name, LockLifetime.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Data Protection key agreement: skipped, Redis did not answer ({Exception}); the key ring is loaded when first needed")]
    private static partial void LogRedisUnavailable(ILogger logger, string exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Data Protection key agreement: the lock was not free within {Seconds} s; loading the key ring without it")]
    private static partial void LogLockNotFree(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Data Protection key agreement: the lock was not released ({Exception}); it expires by itself within {Seconds} s")]
    private static partial void LogLockNotReleased(ILogger logger, string exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Data Protection key agreement: the key ring was not loaded at startup ({Exception}); it is loaded when first needed")]
    private static partial void LogKeyRingNotLoaded(ILogger logger, string exception);
}
