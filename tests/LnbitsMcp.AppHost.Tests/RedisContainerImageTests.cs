using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LnbitsMcp.AppHost.Redis;

namespace LnbitsMcp.AppHost.Tests;

public sealed class RedisContainerImageTests
{
    [Fact]
    public void TheImageTheProbeAndTheScriptUseIsTheOneAddRedisRuns()
    {
        var builder = DistributedApplication.CreateBuilder();
        var image = builder.AddRedis("redis").Resource.Annotations.OfType<ContainerImageAnnotation>().Single();
        var script = File.ReadAllText(Path.Combine(Testing.ServiceProcess.RepositoryRoot(), "tests", "containers", "base-image.sh"));

        Assert.Equal(RedisResourceExtensions.RedisContainerImage, $"{image.Registry}/{image.Image}:{image.Tag}");
        Assert.Contains($"REDIS_IMAGE=${{REDIS_IMAGE:-{RedisResourceExtensions.RedisContainerImage}}}", script, StringComparison.Ordinal);
    }
}
