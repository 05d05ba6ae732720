using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LnbitsMcp.AppHost.Redis;
using LnbitsMcp.Testing;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// The whole app with Redis as a container that Aspire's orchestrator runs with podman (skipped, with
/// the reason in the output, where podman cannot start containers).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class WholeAppWithPodmanTests(PodmanAppFixture fixture)
    : WholeAppTests(fixture), IClassFixture<PodmanAppFixture>
{
    [Fact]
    public async Task RedisIsAContainerThatPodmanRunsFromTheLocallyMadeImage()
    {
        Fixture.SkipWhenUnavailable();
        var redis = RedisResource();
        var running = await Fixture.App.ResourceNotifications
            .WaitForResourceAsync("redis", e => e.Snapshot.Properties.Any(p => p.Name == "container.id" && p.Value is string { Length: > 0 }))
            .WaitAsync(TimeSpan.FromSeconds(60));
        var containerId = (string)running.Snapshot.Properties.Single(p => p.Name == "container.id").Value!;

        var container = await Podman.InspectAsync("container", containerId);

        Assert.True(redis.IsContainer());
        Assert.True(container.GetProperty("State").GetProperty("Running").GetBoolean());
        Assert.Equal(RedisResourceExtensions.RedisContainerImage, container.GetProperty("ImageName").GetString());
        Assert.Equal(RedisResourceExtensions.RedisContainerImage, fixture.Podman.RedisImage);
        // The append-only file on the data volume (README "Redis"), in the container podman really runs.
        Assert.EndsWith("--appendonly yes --appendfsync everysec", container.GetProperty("Config").GetProperty("Cmd").EnumerateArray().Last().GetString(), StringComparison.Ordinal);
        Assert.Contains(container.GetProperty("Mounts").EnumerateArray(),
            mount => mount.GetProperty("Type").GetString() == "volume" && mount.GetProperty("Destination").GetString() == "/data");
        // As the official image under Aspire's /bin/sh entrypoint: Redis runs as root, so a data volume kept from an
        // earlier run starts whoever owns its files.
        Assert.Contains(container.GetProperty("Config").GetProperty("User").GetString(), new[] { "", "root", "0" });
        // redis-server is the container's process 1 (the shell execs it): a stop's SIGTERM reaches Redis, which writes
        // its append-only file and stops, instead of both being killed ten seconds later.
        var processOne = (await Podman.CheckedAsync("top", containerId, "pid", "comm"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(columns => columns[0] == "1");
        Assert.Equal("redis-server", processOne[1]);
    }

    [Fact]
    public void TheProbeSeesPodmanRunTheRedisImage()
    {
        Fixture.SkipWhenUnavailable();

        var status = new ContainerRuntimeProbe(RedisResourceExtensions.RedisContainerImage).Probe(configuredRuntime: null);

        Assert.Equal("podman", status.Runtime);
        Assert.Null(status.Problem);
    }
}
