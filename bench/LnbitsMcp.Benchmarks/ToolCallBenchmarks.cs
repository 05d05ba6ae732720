using BenchmarkDotNet.Attributes;
using LnbitsMcp.Server;
using LnbitsMcp.Server.Cli;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Benchmarks;

/// <summary>
/// Whole tool calls over loopback HTTP with the C# client, against the server and the LNbits
/// sandbox: a local tool (decode_invoice) and one LNbits round trip (get_wallet_balance).
/// </summary>
[MemoryDiagnoser]
public class ToolCallBenchmarks
{
    private Sandbox _sandbox = null!;
    private WebApplication _server = null!;
    private McpClient _client = null!;
    private Dictionary<string, object?> _decodeArguments = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        var wallet = await _sandbox.CreateWalletAsync("bench", 1_000);
        _server = ServerApplication.Build(ServerCommandLine.Parse(["--host", "127.0.0.1", "--port", "0"]), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Security:AllowPrivateNetworks"] = "true", ["Payments:Network"] = "regtest" });
        });
        await _server.StartAsync();
        var url = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(url, "/mcp") }),
            new McpClientOptions { ProtocolVersion = "2025-11-25" });
        await _client.CallToolAsync("configure_lnbits", new Dictionary<string, object?> { ["lnbits_url"] = _sandbox.Url.AbsoluteUri, ["api_key"] = wallet.AdminKey });
        _decodeArguments = new() { ["bolt11"] = (await _sandbox.ExternalInvoiceAsync(21)).Bolt11 };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Benchmark]
    public async Task<bool?> DecodeInvoiceToolCall() => (await _client.CallToolAsync("decode_invoice", _decodeArguments)).IsError;

    [Benchmark]
    public async Task<bool?> WalletBalanceToolCall() => (await _client.CallToolAsync("get_wallet_balance")).IsError;
}
