namespace LnbitsMcp.AppHost.Redis;

/// <summary>
/// Where the local <c>redis-server</c> keeps its append-only file: <c>Redis:DataDirectory</c>, by default a
/// stable per-user folder (<c>~/.local/share/lnbits-mcp/redis</c> on Linux and macOS,
/// <c>%LOCALAPPDATA%\lnbits-mcp\redis</c> on Windows), so sessions, paid invoices and spent budgets
/// survive restarts of the app. Two Redis servers must never share one folder: the AppHost that runs
/// first holds a lock file in it until it exits; another AppHost started meanwhile gets a fresh
/// temporary folder (its data does not outlive it) and says so.
/// </summary>
public sealed class RedisDataDirectory : IDisposable
{
    public const string ConfigurationKey = "Redis:DataDirectory";
    private const string LockFileName = "lnbits-mcp-apphost.lock";

    private readonly FileStream? _lock;

    private RedisDataDirectory(string path, FileStream? lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    public string Path { get; }

    /// <summary>False when the configured folder was in use and this run's data lives in a temporary folder.</summary>
    public bool IsPersistent => _lock is not null;

    public static string DefaultPath =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "lnbits-mcp", "redis");

    /// <summary>Takes the configured (or default) folder, or a temporary one when another AppHost holds it.</summary>
    public static RedisDataDirectory Acquire(string? configuredPath)
    {
        var path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configuredPath) ? DefaultPath : configuredPath);
        Directory.CreateDirectory(path);
        try
        {
            var lockFile = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new RedisDataDirectory(path, lockFile);
        }
        catch (IOException)
        {
            return new RedisDataDirectory(Directory.CreateTempSubdirectory("lnbits-mcp-redis-").FullName, null);
        }
    }

    public void Dispose() => _lock?.Dispose();
}
