using LnbitsMcp.AppHost.Redis;

namespace LnbitsMcp.AppHost.Tests;

public sealed class RedisModeSelectorTests
{
    private static RedisModeSelector Selector(bool containerRuntime, bool redisServer) =>
        new(() => containerRuntime, () => redisServer ? "/usr/bin/redis-server" : null);

    [Theory]
    [InlineData(true, true, RedisMode.Container)]
    [InlineData(true, false, RedisMode.Container)]
    [InlineData(false, true, RedisMode.RedisServer)]
    [InlineData(false, false, RedisMode.Embedded)]
    public void AutoModePrefersContainerThenRedisServerThenEmbedded(bool containerRuntime, bool redisServer, RedisMode expected) =>
        Assert.Equal(expected, Selector(containerRuntime, redisServer).Choose("auto", isPublishMode: false));

    [Fact]
    public void AnEmptyModeMeansAuto() =>
        Assert.Equal(RedisMode.RedisServer, Selector(false, true).Choose(null, isPublishMode: false));

    [Theory]
    [InlineData("auto")]
    [InlineData("embedded")]
    [InlineData("redis-server")]
    public void PublishModeAlwaysUsesTheContainer(string configured) =>
        Assert.Equal(RedisMode.Container, Selector(false, false).Choose(configured, isPublishMode: true));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExternalModeUsesTheOperatorsRedisInRunAndPublishMode(bool isPublishMode) =>
        Assert.Equal(RedisMode.External, Selector(true, true).Choose("external", isPublishMode));

    [Fact]
    public void ContainerModeWithoutARuntimeFailsFastInsteadOfWaitingForever()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Selector(false, true).Choose("container", isPublishMode: false));
        Assert.Contains("no container runtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisServerModeWithoutRedisServerSaysHowToInstallIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Selector(true, false).Choose("redis-server", isPublishMode: false));
        Assert.Contains("apt-get install redis-server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitEmbeddedModeIsKeptEvenWhenOthersExist() =>
        Assert.Equal(RedisMode.Embedded, Selector(true, true).Choose("embedded", isPublishMode: false));

    [Fact]
    public void AnUnknownModeIsRejectedWithTheValidChoices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RedisModeSelector.Parse("memcached"));
        Assert.Contains("auto, container, redis-server, embedded, external", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutableLocatorFindsAFileOnThePathAndNothingElse()
    {
        var directory = Directory.CreateTempSubdirectory("locator-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "fake-redis"), "#!/bin/sh\n");
            Assert.Equal(Path.Combine(directory.FullName, "fake-redis"), ExecutableLocator.FindOnPath("fake-redis", directory.FullName));
            Assert.Null(ExecutableLocator.FindOnPath("not-there", directory.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
