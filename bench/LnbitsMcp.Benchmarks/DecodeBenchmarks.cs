using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Telemetry;
using LnbitsMcp.Server.Tools;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Benchmarks;

/// <summary>The pure hot paths of a payment: decoding (with signature recovery), the decode's tool result, and log redaction.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    // BOLT 11's first example (mainnet, 2500u, payment secret, description).
    private const string Invoice =
        "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    private readonly ArrayBufferWriter<byte> _response = new(8_192);
    private Bolt11Invoice _decoded = null!;
    private readonly string _logLine = "Tool pay_invoice answered already_paid (session 0123456789abcdef) after LNbits said: Payment already paid.";

    [GlobalSetup]
    public void Setup()
    {
        if (!Bolt11Decoder.TryDecode(Invoice, out var decoded, out var error))
        {
            throw new InvalidOperationException($"the benchmark's invoice does not decode: {error}");
        }

        _decoded = decoded;

        for (var i = 0; i < 50_000; i++)
        {
            SecretRedactor.Register(Guid.NewGuid().ToString("N"));
        }
    }

    /// <summary>A decode of one of the last 1 024 valid invoices (the setup decoded it once, with its signature check).</summary>
    [Benchmark]
    public bool DecodeBolt11() => Bolt11Decoder.TryDecode(Invoice, out _, out _);

    /// <summary>What <c>decode_invoice</c> makes of a decoded invoice: the result record, its JSON, structured content and text.</summary>
    [Benchmark]
    public CallToolResult DecodeInvoiceResult() => ToolResults.Success(DecodedInvoiceResult.From(_decoded, DateTimeOffset.UtcNow));

    /// <summary>
    /// <c>decode_invoice</c>'s result made and written into a JSON-RPC response's result object, as the response is
    /// written: content and structured content from the result's bytes (<see cref="SerializedToolResultJson"/>).
    /// </summary>
    [Benchmark]
    public long DecodeInvoiceResultWritten() =>
        Written(ToolResults.Success(DecodedInvoiceResult.From(_decoded, DateTimeOffset.UtcNow)));

    /// <summary>The same, written as the SDK holds a result: the text block's string made, the structured content parsed.</summary>
    [Benchmark]
    public long DecodeInvoiceResultWrittenFromParsed() =>
        Written(((SerializedToolResult)ToolResults.Success(DecodedInvoiceResult.From(_decoded, DateTimeOffset.UtcNow)).Content).ToCallToolResult());

    private long Written(CallToolResult result)
    {
        var answer = new JsonObject();
        DirectToolResults.PutBack(answer, result);
        _response.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_response);
        answer.WriteTo(writer, SdkWireJson.Options); // as the SDK writes a response
        writer.Flush();
        return writer.BytesCommitted;
    }

    [Benchmark]
    public string RedactALogLineWithFiftyThousandLiveSecrets() => SecretRedactor.Redact(_logLine);
}
