using LnbitsMcp.AppHost.Redis;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>The probe's decisions, with the runtimes' answers scripted (the real podman is in WholeAppWithPodmanTests).</summary>
public sealed class ContainerRuntimeProbeTests
{
    private const string Image = "docker.io/library/redis:8.6";
    private static readonly ProbeRun s_ok = new(true, 0, string.Empty);

    private readonly List<string> _calls = [];

    [Fact]
    public void DockerComesFirstAndPodmanIsUsedWhenDockerDoesNotAnswer()
    {
        var status = Probe(null, new()
        {
            ["docker info"] = new(true, 1, "Cannot connect to the Docker daemon"),
        });

        Assert.Equal("podman", status.Runtime);
        Assert.Equal(["docker info", "podman info", "podman image inspect", "podman run"], _calls);
    }

    [Fact]
    public void AConfiguredRuntimeIsTheOnlyOneAsked()
    {
        var status = Probe("podman", []);

        Assert.Equal("podman", status.Runtime);
        Assert.DoesNotContain(_calls, call => call.StartsWith("docker", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingImageIsPulledAndUsedWhenThePullWorks()
    {
        var status = Probe("docker", new() { ["docker image inspect"] = new(true, 1, "No such image") });

        Assert.Equal("docker", status.Runtime);
        Assert.Contains("docker pull", _calls);
    }

    [Fact]
    public void ARuntimeWithoutTheImageAndWithoutARegistryIsRuledOutWithTheReason()
    {
        var status = Probe("podman", new()
        {
            ["podman image inspect"] = new(true, 125, "image not known"),
            ["podman pull"] = new(true, 125, "pinging container registry registry-1.docker.io: no such host"),
        });

        Assert.False(status.IsUsable);
        Assert.Contains($"podman has no image {Image} and cannot pull it", status.Problem, StringComparison.Ordinal);
        Assert.Contains("no such host", status.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ARuntimeThatAnswersInfoButCannotStartAContainerIsRuledOut()
    {
        var status = Probe(null, new()
        {
            ["docker info"] = ProbeRun.NotStarted,
            ["podman run"] = new(true, 126, "error setting rlimit type 7: operation not permitted"),
        });

        Assert.False(status.IsUsable);
        Assert.Contains("docker is not installed", status.Problem, StringComparison.Ordinal);
        Assert.Contains($"podman cannot run {Image} (error setting rlimit", status.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTrialRunNeitherPullsNorTouchesTheNetwork()
    {
        string[]? trial = null;
        new ContainerRuntimeProbe(Image, (runtime, arguments, _) =>
        {
            if (arguments[0] == "run")
            {
                trial = arguments;
            }

            return s_ok;
        }).Probe("podman");

        Assert.NotNull(trial);
        Assert.Contains("--pull=never", trial);
        Assert.Contains("--network=none", trial);
        Assert.Contains("--rm", trial);
    }

    private ContainerRuntimeStatus Probe(string? configured, Dictionary<string, ProbeRun> answers) =>
        new ContainerRuntimeProbe(Image, (runtime, arguments, _) =>
        {
            var call = $"{runtime} {string.Join(' ', arguments.TakeWhile(a => !a.StartsWith('-') && a != Image))}";
            _calls.Add(call);
            return answers.TryGetValue(call, out var answer) ? answer : s_ok;
        }).Probe(configured);
}
