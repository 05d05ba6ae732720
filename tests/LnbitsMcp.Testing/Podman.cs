using System.Text.Json;

namespace LnbitsMcp.Testing;

/// <summary>The podman command line (containers.conf from <c>CONTAINERS_CONF</c> or /etc/containers, see README "Containers").</summary>
public static class Podman
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static Task<CommandResult> RunAsync(params string[] arguments) => RunAsync(arguments, Timeout);

    public static Task<CommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout) =>
        ExternalCommand.RunAsync("podman", arguments, timeout);

    /// <summary>Runs podman and returns its trimmed output; throws with podman's error text when it fails.</summary>
    public static async Task<string> CheckedAsync(params string[] arguments) =>
        (await RunAsync(arguments)).EnsureSuccess().Output.Trim();

    /// <summary><c>podman inspect</c> of one container, image or network as JSON.</summary>
    public static async Task<JsonElement> InspectAsync(string kind, string name)
    {
        using var document = JsonDocument.Parse(await CheckedAsync(kind, "inspect", name));
        return document.RootElement[0].Clone();
    }

    /// <summary>The 127.0.0.1 address a container port is published on.</summary>
    public static async Task<Uri> PublishedUrlAsync(string container, int port, string scheme = "http")
    {
        var binding = await CheckedAsync("port", container, $"{port}/tcp");
        var address = binding.Split('\n')[0].Trim();
        return new Uri($"{scheme}://{address}");
    }

    /// <summary>Removes containers, forcibly (a test that failed halfway leaves them running); errors ignored.</summary>
    public static async Task RemoveContainersAsync(IEnumerable<string> names)
    {
        var list = names.ToArray();
        if (list.Length > 0)
        {
            await RunAsync(["rm", "--force", "--time", "2", .. list], Timeout);
        }
    }
}
