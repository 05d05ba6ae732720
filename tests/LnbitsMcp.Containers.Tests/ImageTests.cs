using System.Text.Json;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Containers.Tests;

/// <summary>What the SDK put into each image, and each image alone on a read-only root filesystem.</summary>
public sealed class ImageTests(ServiceImages images)
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("server", "LnbitsMcp.Server")]
    [InlineData("edge", "LnbitsMcp.Edge")]
    public async Task TheImageRunsItsDllAsTheNonRootUserAppOnPort8080(string service, string assembly)
    {
        images.Containers.SkipWhenUnavailable();
        var config = (await Podman.InspectAsync("image", images.Of(service))).GetProperty("Config");
        var uid = await Podman.CheckedAsync("run", "--rm", "--entrypoint", "id", images.Of(service), "-u");

        Assert.Equal("app", config.GetProperty("User").GetString());
        Assert.NotEqual("0", uid);
        Assert.Equal("1654", uid);
        Assert.Equal(["8080/tcp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(port => port.Name));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["dotnet", $"/app/{assembly}.dll"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app/", config.GetProperty("WorkingDir").GetString());
    }

    [Theory]
    [InlineData("server")]
    [InlineData("edge")]
    public async Task TheImageAnswersHealthAndAliveOnAReadOnlyRootFilesystemWithNoWritablePathAtAll(string service)
    {
        images.Containers.SkipWhenUnavailable();
        var name = $"lnbits-mcp-test-{service}-{Guid.NewGuid():N}"[..40];
        try
        {
            // --read-only-tmpfs=false: not even /tmp, /run or /var/tmp is writable.
            await Podman.CheckedAsync("run", "--detach", "--name", name, "--label", "lnbits-mcp-test",
                "--read-only", "--read-only-tmpfs=false", "--publish", "127.0.0.1::8080", images.Of(service));
            var url = await Podman.PublishedUrlAsync(name, 8080);
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };

            var health = await ContainerHttp.WaitForSuccessAsync(http, "/health", s_startTimeout, name);
            using var alive = await http.GetAsync("/alive").WaitAsync(s_startTimeout);
            var state = (await Podman.InspectAsync("container", name)).GetProperty("State");

            Assert.Equal("Healthy", health);
            Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
            Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());
            Assert.True(state.GetProperty("Running").GetBoolean());
            Assert.DoesNotContain("Read-only file system", await ContainerHttp.LogsAsync(name), StringComparison.Ordinal);
        }
        finally
        {
            await Podman.RemoveContainersAsync([name]);
        }
    }

    [Theory]
    [InlineData("LnbitsMcp.Server")]
    [InlineData("LnbitsMcp.Edge")]
    public async Task ProductionBuildsKeepTheChiseledBaseTheUserAppAndPort8080(string project)
    {
        // Tests replace only ContainerBaseImage; what the SDK computes without that is the production image.
        var result = (await ExternalCommand.RunAsync(
            "dotnet",
            ["msbuild", project, "-t:ComputeContainerBaseImage", "-p:Configuration=Release", "-nodeReuse:false",
                "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser", "-getItem:ContainerPort"],
            TimeSpan.FromMinutes(3),
            workingDirectory: ServiceProcess.RepositoryRoot())).EnsureSuccess();
        using var evaluated = JsonDocument.Parse(result.Output);

        var properties = evaluated.RootElement.GetProperty("Properties");
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", properties.GetProperty("ContainerBaseImage").GetString(), StringComparison.Ordinal);
        Assert.Equal("app", properties.GetProperty("ContainerUser").GetString());
        var port = Assert.Single(evaluated.RootElement.GetProperty("Items").GetProperty("ContainerPort").EnumerateArray());
        Assert.Equal("8080", port.GetProperty("Identity").GetString());
    }
}
