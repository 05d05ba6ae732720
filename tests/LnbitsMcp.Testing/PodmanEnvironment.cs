using Xunit;

namespace LnbitsMcp.Testing;

/// <summary>
/// What container tests need on this machine, found once per test process: podman that starts
/// containers, and the test-only images of tests/containers/base-image.sh (the base image in the
/// local registry, the Redis image under the name Aspire's AddRedis asks for). When podman cannot
/// start containers here, <see cref="SkipReason"/> says why and the tests skip with it; anything
/// else that goes wrong (the script failing, for one) fails them.
/// </summary>
public sealed class PodmanEnvironment
{
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(15);
    private static readonly Lazy<Task<PodmanEnvironment>> s_current = new(FindAsync);

    private PodmanEnvironment(string? skipReason, string registry = "", string baseImage = "", string redisImage = "")
    {
        SkipReason = skipReason;
        Registry = registry;
        BaseImage = baseImage;
        RedisImage = redisImage;
    }

    /// <summary>Why container tests cannot run here, or null when they can.</summary>
    public string? SkipReason { get; }

    /// <summary>The local registry (<c>127.0.0.1:port</c>) that holds <see cref="BaseImage"/>.</summary>
    public string Registry { get; }

    /// <summary>The test-only stand-in for mcr.microsoft.com/dotnet/aspnet:10.0, in <see cref="Registry"/>.</summary>
    public string BaseImage { get; }

    /// <summary>The local Redis image, tagged as the image AddRedis runs.</summary>
    public string RedisImage { get; }

    public static Task<PodmanEnvironment> GetAsync() => s_current.Value;

    /// <summary>Skips the calling test, with the reason, when podman cannot start containers here.</summary>
    public void SkipWhenUnavailable() => Assert.SkipWhen(SkipReason is not null, SkipReason ?? string.Empty);

    private static async Task<PodmanEnvironment> FindAsync()
    {
        var skip = await UnavailableBecauseAsync();
        if (skip is not null)
        {
            return Skipped(skip);
        }

        var script = Path.Combine(ServiceProcess.RepositoryRoot(), "tests", "containers", "base-image.sh");
        var started = DateTime.UtcNow;
        var result = (await ExternalCommand.RunAsync(script, [], s_scriptTimeout)).EnsureSuccess();
        var values = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        var environment = new PodmanEnvironment(null, values["REGISTRY"], values["BASE_IMAGE"], values["REDIS_IMAGE"]);
        // Seconds when everything is cached, minutes the first time on a machine.
        TestContext.Current.SendDiagnosticMessage($"tests/containers/base-image.sh took {(DateTime.UtcNow - started).TotalSeconds:0} s");

        // podman answers and builds images without running anything; whether it can start a
        // container (runtime, cgroups, rlimits) shows only when it tries.
        var trial = await Podman.RunAsync("run", "--rm", "--pull=never", "--network=none", environment.RedisImage, "redis-server", "--version");
        return trial.Succeeded
            ? environment
            : Skipped($"podman cannot start a container here ({trial.Error.Trim()}); " +
                "install tests/containers/containers.conf as /etc/containers/containers.conf or point CONTAINERS_CONF at it (README: Containers)");
    }

    private static async Task<string?> UnavailableBecauseAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "container tests need Linux (podman as root)";
        }

        if (Environment.UserName != "root")
        {
            return "container tests need root (debootstrap and podman as root); ./test.sh in CI runs as root";
        }

        try
        {
            var info = await Podman.RunAsync(["info"], TimeSpan.FromSeconds(30));
            return info.Succeeded ? null : $"'podman info' failed: {info.Error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "podman is not installed (apt-get install podman runc docker-registry debootstrap; ./test.sh does)";
        }
    }

    private static PodmanEnvironment Skipped(string reason)
    {
        // Also in the output of the test run (as a diagnostic message), so that a skipped container suite is seen.
        TestContext.Current.SendDiagnosticMessage($"CONTAINER TESTS SKIPPED: {reason}");
        return new PodmanEnvironment(reason);
    }
}
