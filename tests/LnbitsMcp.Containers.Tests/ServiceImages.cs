using System.Diagnostics;
using System.Text.RegularExpressions;
using LnbitsMcp.Testing;

[assembly: AssemblyFixture(typeof(LnbitsMcp.Containers.Tests.ServiceImages))]

namespace LnbitsMcp.Containers.Tests;

/// <summary>
/// The server and edge images, built once per test run exactly as the README says (the SDK's
/// <c>PublishContainer</c>, Release, no Dockerfile) on the test-only base image, written as tarballs
/// and loaded into podman; removed again when the run ends.
/// </summary>
public sealed partial class ServiceImages : IAsyncLifetime
{
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(10);
    private readonly string _tag = $"test-{Guid.NewGuid():N}"[..17];
    private readonly string _directory = Directory.CreateTempSubdirectory("lnbits-mcp-images-").FullName;

    public PodmanEnvironment Containers { get; private set; } = null!;

    /// <summary>The loaded server image (<c>lnbits-mcp-server:test-…</c>).</summary>
    public string Server { get; private set; } = string.Empty;

    public string Edge { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Containers = await PodmanEnvironment.GetAsync();
        if (Containers.SkipReason is not null)
        {
            return;
        }

        var times = new Dictionary<string, TimeSpan>();
        // One after another: both publish LnbitsMcp.ServiceDefaults (Release), which two builds at once would fight over.
        (Server, times["server"]) = await BuildAsync("LnbitsMcp.Server");
        (Edge, times["edge"]) = await BuildAsync("LnbitsMcp.Edge");
        TestContext.Current.SendDiagnosticMessage("Container images built by the SDK: " +
            string.Join(", ", times.Select(pair => $"{pair.Key} {pair.Value.TotalSeconds:0} s")));
    }

    public async ValueTask DisposeAsync()
    {
        var images = new[] { Server, Edge }.Where(image => image.Length > 0).ToArray();
        if (images.Length > 0)
        {
            await Podman.RunAsync(["rmi", "--force", .. images], Podman.Timeout);
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The image of a service by its short name (<c>server</c>, <c>edge</c>).</summary>
    public string Of(string service) => service switch
    {
        "server" => Server,
        "edge" => Edge,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "server or edge"),
    };

    private async Task<(string Image, TimeSpan Duration)> BuildAsync(string project)
    {
        var stopwatch = Stopwatch.StartNew();
        var archive = Path.Combine(_directory, project + ".tar.gz");
        (await ExternalCommand.RunAsync(
            "dotnet",
            [
                "publish", project, "-c", "Release", "-t:PublishContainer", "-nodeReuse:false", "-v:minimal",
                $"-p:ContainerBaseImage={Containers.BaseImage}",
                $"-p:ContainerImageTags={_tag}",
                $"-p:ContainerArchiveOutputPath={archive}",
            ],
            s_publishTimeout,
            new Dictionary<string, string?> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = Containers.Registry },
            ServiceProcess.RepositoryRoot())).EnsureSuccess();
        var loaded = await Podman.CheckedAsync("load", "--quiet", "--input", archive);
        var image = LoadedImage().Match(loaded) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"podman load printed no image name: {loaded}");
        return (image, stopwatch.Elapsed);
    }

    [GeneratedRegex(@"Loaded image(?:\(s\))?: (\S+)")]
    private static partial Regex LoadedImage();
}
