using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LnbitsMcp.AppHost.Redis;

namespace LnbitsMcp.AppHost.Tests;

public sealed class RedisContainerArgumentsTests
{
    [Fact]
    public async Task InRunModeTheContainersRedisGetsTheAppendOnlyFileAndTheStopSignalToo()
    {
        // Run mode builds the arguments as redis-server, --requirepass, … (joined into "sh -c" later);
        // publish mode as "-c" and one command line (PublishManifestTests covers that one).
        var builder = DistributedApplication.CreateBuilder();
        var redis = builder.AddRedis("redis").WithDataVolume().WithAppendOnlyFile().WithRedisAsTheContainersMainProcess();
        var context = new CommandLineArgsCallbackContext([], redis.Resource);

        foreach (var callback in redis.Resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context).WaitAsync(TimeSpan.FromSeconds(10));
        }

        var arguments = context.Args.OfType<string>().ToList();
        Assert.Equal(["exec", "redis-server"], arguments[..2]);
        Assert.Equal(RedisResourceExtensions.AppendOnlyArguments, arguments[^RedisResourceExtensions.AppendOnlyArguments.Count..]);
    }
}
