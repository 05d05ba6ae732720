using System.Text;
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
/// The REST debug route against the same call over MCP: <c>decode_invoice</c> (no LNbits) as
/// <c>POST /tools/decode_invoice</c> and as a session-less (2026-07-28) <c>tools/call</c> of the C# client,
/// both over loopback HTTP. The difference is what the in-process adapter costs.
/// </summary>
[MemoryDiagnoser]
public class RestRouteBenchmarks
{
    private Sandbox _sandbox = null!;
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private McpClient _stateless = null!;
    private Uri _restUrl = null!;
    private byte[] _restBody = null!;
    private Dictionary<string, object?> _arguments = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        var bolt11 = (await _sandbox.ExternalInvoiceAsync(21)).Bolt11;
        _server = ServerApplication.Build(ServerCommandLine.Parse(["--host", "127.0.0.1", "--port", "0"]), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Payments:Network"] = "regtest" });
        });
        await _server.StartAsync();
        var url = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _http = new HttpClient();
        _restUrl = new Uri(url, "/tools/decode_invoice");
        _restBody = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { name = "decode_invoice", arguments = new { bolt11 } }));
        _stateless = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(url, "/mcp") }));
        _arguments = new() { ["bolt11"] = bolt11 };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _stateless.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<bool?> DecodeInvoiceOverMcp() => (await _stateless.CallToolAsync("decode_invoice", _arguments)).IsError;

    [Benchmark]
    public async Task<int> DecodeInvoiceOverRest()
    {
        using var content = new ByteArrayContent(_restBody);
        content.Headers.ContentType = new("application/json");
        using var response = await _http.PostAsync(_restUrl, content);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }
}
