using System.Diagnostics;
using System.Text.Json;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// The publish manifest, produced exactly as a user (or azd) does:
/// <c>dotnet run --project LnbitsMcp.AppHost -- --publisher manifest --output-path &lt;abs path&gt;</c>.
/// </summary>
public sealed class PublishManifestTests
{
    [Fact]
    public async Task ManifestListsRedisAsAContainerTheServerInstancesAndTheExternalEdge()
    {
        var manifest = await PublishManifest.GenerateAsync();
        var resources = manifest.GetProperty("resources");

        Assert.Equal("container.v0", resources.GetProperty("redis").GetProperty("type").GetString());
        Assert.Equal("project.v0", resources.GetProperty("server0").GetProperty("type").GetString());
        Assert.Equal("project.v0", resources.GetProperty("server1").GetProperty("type").GetString());
        Assert.False(resources.TryGetProperty("server2", out _));

        Assert.False(resources.TryGetProperty("lnbits", out _), "the sandbox is never deployed");
        Assert.Equal("parameter.v0", resources.GetProperty("lnbits-url").GetProperty("type").GetString());
        Assert.Equal("{lnbits-url.value}", resources.GetProperty("server0").GetProperty("env").GetProperty("LNBITS_URL").GetString());

        var edge = resources.GetProperty("edge");
        Assert.Equal("project.v0", edge.GetProperty("type").GetString());
        Assert.Contains(edge.GetProperty("bindings").EnumerateObject(), binding => binding.Value.TryGetProperty("external", out var external) && external.GetBoolean());
        // No secret is written into the manifest: every secret-looking value is an expression.
        foreach (var resource in resources.EnumerateObject().Where(r => r.Value.TryGetProperty("env", out _)))
        {
            foreach (var variable in resource.Value.GetProperty("env").EnumerateObject())
            {
                if (new[] { "PASSWORD", "KEY", "SECRET", "TOKEN", "redis" }.Any(word => variable.Name.Contains(word, StringComparison.OrdinalIgnoreCase)))
                {
                    Assert.StartsWith("{", variable.Value.GetString(), StringComparison.Ordinal);
                }
            }
        }

        Assert.True(resources.GetProperty("redis-password").GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.Equal("{lnbits-url.value}", resources.GetProperty("server1").GetProperty("env").GetProperty("LNBITS_URL").GetString());
        Assert.Equal("*", resources.GetProperty("edge").GetProperty("env").GetProperty("Http__AllowedHosts__0").GetString());

        // The edge and every server share one generated secret: the servers believe forwarded headers only with it.
        var edgeSecret = resources.GetProperty("edge-secret").GetProperty("inputs").GetProperty("value");
        Assert.True(edgeSecret.GetProperty("secret").GetBoolean());
        Assert.True(edgeSecret.GetProperty("default").TryGetProperty("generate", out _));
        foreach (var resource in new[] { "edge", "server0", "server1" })
        {
            Assert.Equal("{edge-secret.value}", resources.GetProperty(resource).GetProperty("env").GetProperty("ForwardedHeaders__EdgeSecret").GetString());
        }

        foreach (var server in new[] { "server0", "server1" })
        {
            Assert.DoesNotContain(resources.GetProperty(server).GetProperty("bindings").EnumerateObject(),
                binding => binding.Value.TryGetProperty("external", out var external) && external.GetBoolean());
        }
    }

    [Fact]
    public async Task TheRedisContainerKeepsAnAppendOnlyFileOnAPersistentVolume()
    {
        var redis = (await PublishManifest.GenerateAsync()).GetProperty("resources").GetProperty("redis");

        var volume = Assert.Single(redis.GetProperty("volumes").EnumerateArray());
        Assert.Equal("/data", volume.GetProperty("target").GetString());
        Assert.False(volume.GetProperty("readOnly").GetBoolean());
        Assert.False(string.IsNullOrEmpty(volume.GetProperty("name").GetString()));
        var command = redis.GetProperty("args").EnumerateArray().Select(a => a.GetString()).Last();
        Assert.StartsWith("exec redis-server --requirepass $REDIS_PASSWORD", command, StringComparison.Ordinal);
        Assert.Contains("--appendonly yes --appendfsync everysec", command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExternalRedisIsASecretConnectionStringParameterInsteadOfAContainer()
    {
        var resources = (await PublishManifest.GenerateAsync("--Redis:Mode=external")).GetProperty("resources");
        var redis = resources.GetProperty("redis");

        Assert.Equal("parameter.v0", redis.GetProperty("type").GetString());
        Assert.Equal("{redis.value}", redis.GetProperty("connectionString").GetString());
        Assert.True(redis.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.False(resources.TryGetProperty("redis-password", out _));
        foreach (var service in new[] { "server0", "server1", "edge" })
        {
            Assert.Equal("{redis.connectionString}", resources.GetProperty(service).GetProperty("env").GetProperty("ConnectionStrings__redis").GetString());
        }
    }
}

internal static class PublishManifest
{
    public static async Task<JsonElement> GenerateAsync(params string[] appHostArguments)
    {
        var root = RepositoryRoot();
        var output = Directory.CreateTempSubdirectory("manifest-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in AppHostRun.DotnetRunArguments.Concat(["--", "--publisher", "manifest", "--output-path", output]).Concat(appHostArguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"manifest publishing failed:\n{await stdout}\n{await stderr}");

        var file = Directory.GetFiles(output, "*.json").Single();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        return document.RootElement.Clone();
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LnbitsMcp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("LnbitsMcp.sln not found above the test output.");
    }
}
