using System.Diagnostics;
using LnbitsMcp.Server.Cli;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Cli;

/// <summary>The standalone server as operators run it: help, single-user safety, stdio.</summary>
public sealed class StandaloneServerTests
{
    [Fact]
    public async Task HelpListsHostPortDebugModeRedisAndStdio()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--host", "--port", "--debug", "--single-user", "--allow-remote", "--redis", "--stdio", "--help" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--single-user", "--host", "0.0.0.0")]
    [InlineData("--single-user", "--host", "192.168.1.10")]
    public async Task SingleUserModeRefusesANonLoopbackAddressWithoutAllowRemote(params string[] args)
    {
        var (exitCode, output) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("--allow-remote", output, StringComparison.Ordinal);
        Assert.Contains("loopback", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommandLineParsesEveryOptionAndRejectsBadValues()
    {
        var parsed = ServerCommandLine.Parse(["--host", "127.0.0.1", "--port", "8001", "--debug", "--single-user", "--redis", "localhost:6379", "--urls", "x"]);

        Assert.Null(parsed.Error);
        Assert.Equal(("127.0.0.1", 8001, true, true, "localhost:6379"), (parsed.Host, parsed.Port, parsed.Debug, parsed.SingleUser, parsed.Redis));
        Assert.Equal(["--urls", "x"], parsed.HostArguments);
        Assert.Equal("127.0.0.1", ServerCommandLine.Parse(["--single-user"]).EffectiveHost);
        Assert.Equal("0.0.0.0", ServerCommandLine.Parse([]).EffectiveHost);
        Assert.NotNull(ServerCommandLine.Parse(["--port", "http"]).Error);
        Assert.NotNull(ServerCommandLine.Parse(["--port", "70000"]).Error);
        Assert.NotNull(ServerCommandLine.Parse(["--host"]).Error);
        Assert.Null(ServerCommandLine.Parse(["--single-user", "--host", "0.0.0.0", "--allow-remote"]).Error);
    }

    [Fact]
    public async Task StdioAnswersInitializeAndToolsListAndKeepsOneSession()
    {
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [ServiceProcess.ProjectDll("LnbitsMcp.Server"), "--stdio"],
            Name = "lnbits-mcp-stdio",
        })).WaitAsync(TimeSpan.FromSeconds(60));

        var tools = await client.ListToolsAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var first = await client.CallOkAsync("get_session_info");
        var second = await client.CallOkAsync("get_session_info");

        Assert.Equal("lnbits-mcp", client.ServerInfo?.Name);
        Assert.Contains(tools, t => t.Name == "pay_invoice");
        Assert.Equal(first.GetProperty("session_hint").GetString(), second.GetProperty("session_hint").GetString());
        Assert.True(first.GetProperty("bound_to_transport").GetBoolean());
    }

    [Fact]
    public async Task SingleUserModeHandsTheOperatorsWalletToCallers()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var wallet = await sandbox.CreateWalletAsync("operator", 4_321);
        await using var server = await ServiceProcess.StartAsync("LnbitsMcp.Server",
            ["--single-user", "--port", "0"],
            new Dictionary<string, string?>
            {
                ["LNBITS_URL"] = sandbox.Url.AbsoluteUri,
                ["LNBITS_API_KEY"] = wallet.AdminKey,
                ["Security__AllowPrivateNetworks"] = "true",
            });
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url, "/mcp") }));

        var balance = await client.CallOkAsync("get_wallet_balance");
        var configuration = await client.CallOkAsync("get_lnbits_configuration");

        Assert.Equal(4_321, balance.GetProperty("balance_sat").GetInt64());
        Assert.Equal("operator", configuration.GetProperty("source").GetString());
        Assert.DoesNotContain(wallet.AdminKey, configuration.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServiceProcess.ProjectDll("LnbitsMcp.Server"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
