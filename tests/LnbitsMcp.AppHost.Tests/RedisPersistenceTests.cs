using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LnbitsMcp.AppHost.Redis;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>Every Redis the AppHost starts keeps its data: an append-only file in a folder that outlives the app.</summary>
public sealed class RedisPersistenceTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("redis-data-test-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task TheLocalRedisServerWritesAnAppendOnlyFileIntoTheDataFolder()
    {
        await using var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LnbitsMcp_AppHost>(["--Redis:Mode=redis-server", $"--Redis:DataDirectory={_folder.FullName}"])
            .WaitAsync(s_timeout);
        var redis = Assert.Single(builder.Resources.OfType<RedisServerResource>());

        var arguments = new List<object>();
        foreach (var callback in redis.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(arguments, redis, CancellationToken.None));
        }

        var text = arguments.OfType<string>().ToList();
        Assert.Equal(_folder.FullName, redis.WorkingDirectory);
        Assert.Equal(_folder.FullName, text[text.IndexOf("--dir") + 1]);
        Assert.Equal("yes", text[text.IndexOf("--appendonly") + 1]);
        Assert.Equal("everysec", text[text.IndexOf("--appendfsync") + 1]);
    }

    [Fact]
    public void OneAppHostAtATimeOwnsTheDataFolderAndAnotherGetsATemporaryOne()
    {
        var first = RedisDataDirectory.Acquire(_folder.FullName);
        using (var second = RedisDataDirectory.Acquire(_folder.FullName))
        {
            Assert.True(first.IsPersistent);
            Assert.Equal(_folder.FullName, first.Path);
            Assert.False(second.IsPersistent);
            Assert.NotEqual(first.Path, second.Path);
        }

        first.Dispose();
        using var third = RedisDataDirectory.Acquire(_folder.FullName);
        Assert.True(third.IsPersistent);
        Assert.Equal(_folder.FullName, third.Path);
    }

    [Fact]
    public void TheDefaultDataFolderIsPerUserAndNotTemporary()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        Assert.StartsWith(home, RedisDataDirectory.DefaultPath, StringComparison.Ordinal);
        Assert.False(RedisDataDirectory.DefaultPath.StartsWith(Path.GetTempPath(), StringComparison.Ordinal));
        Assert.EndsWith(Path.Combine("lnbits-mcp", "redis"), RedisDataDirectory.DefaultPath, StringComparison.Ordinal);
    }
}
