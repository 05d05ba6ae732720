using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>Pins the tool list: names, arguments (type, required, range), annotations and descriptions (CONTRACT §5).</summary>
public sealed class ToolCatalogTests : IAsyncLifetime
{
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync() => _server = await ServerHost.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    // name | required | argument:type[min..max] … | annotations (r = readOnly, d = destructive, i = idempotent, o = openWorld)
    private static readonly string[] s_expected =
    [
        "create_session | | session_id:string | o=false r=false d=false i=false",
        "get_session_info | | session_id:string | o=false r=true i=true",
        "configure_lnbits | | lnbits_url:string? api_key:string? auth_method:string? bearer_token:string? username:string? password:string? wallet_id:string? timeout_seconds:integer?[1..120] session_id:string | o=true r=false d=false i=true",
        "get_lnbits_configuration | | session_id:string | o=false r=true i=true",
        "test_lnbits_configuration | | session_id:string | o=true r=true i=true",
        "check_connection | | session_id:string | o=true r=true i=true",
        "get_wallet_details | | session_id:string | o=true r=true i=true",
        "get_wallet_balance | | session_id:string | o=true r=true i=true",
        "get_payments | | limit:integer[1..100] offset:integer[0..1000000] direction:string? status:string? since:string? until:string? search:string? session_id:string | o=true r=true i=true",
        "get_payment_status | payment_hash | payment_hash:string session_id:string | o=true r=true i=true",
        "decode_invoice | bolt11 | bolt11:string session_id:string | o=false r=true i=true",
        "create_invoice | amount | amount:number currency:string? memo:string? description_hash:string? expiry:integer[60..86400] session_id:string | o=true r=false d=false i=false",
        "wait_for_payment | payment_hash | payment_hash:string timeout_seconds:integer[1..300] session_id:string | o=true r=true i=true",
        "pay_invoice | bolt11 | bolt11:string dry_run:boolean approval_id:string? confirmation_token:string? session_id:string | o=true r=false d=true i=false",
        "pay_lightning_address | lightning_address | lightning_address:string amount_sats:integer?[1..2100000000000000] amount:number? currency:string? comment:string? dry_run:boolean approval_id:string? confirmation_token:string? session_id:string | o=true r=false d=true i=false",
        "pay_l402 | url max_sats | url:string max_sats:integer[1..2100000000000000] method:string body:string? headers:object? dry_run:boolean approval_id:string? confirmation_token:string? session_id:string | o=true r=false d=true i=false",
        "set_payment_limits | | max_payment_sats:integer?[1..2100000000000000] daily_budget_sats:integer?[1..2100000000000000] max_payments_per_hour:integer?[1..100000] confirm_above_sats:integer?[0..2100000000000000] allow_payees:array? deny_payees:array? session_id:string | o=false r=false d=false i=true",
    ];

    [Fact]
    public async Task TheToolListIsExactlyTheContracts()
    {
        await using var client = await _server.ConnectAsync();

        var tools = await client.ListToolsAsync().AsTask().WaitAsync(ServerHost.Timeout);

        Assert.Equal(s_expected, tools.Select(tool => Describe(tool.ProtocolTool)).ToArray());
    }

    [Fact]
    public async Task EveryToolAndArgumentHasADescriptionAndEveryToolAnOutputSchemaThatAdmitsErrors()
    {
        await using var client = await _server.ConnectAsync();

        foreach (var tool in (await client.ListToolsAsync().AsTask().WaitAsync(ServerHost.Timeout)).Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            Assert.True(tool.Description!.Length > 40, $"{tool.Name}: a model needs more than '{tool.Description}'");
            foreach (var argument in tool.InputSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(argument.Value.TryGetProperty("description", out var description) && description.GetString()!.Length > 10, $"{tool.Name}.{argument.Name}");
            }

            var output = tool.OutputSchema ?? throw new Xunit.Sdk.XunitException($"{tool.Name} has no output schema");
            Assert.Equal("object", output.GetProperty("type").GetString());
            Assert.Contains(output.GetProperty("anyOf").EnumerateArray(), schema => schema.GetProperty("properties").TryGetProperty("error", out _));
        }
    }

    private static string Describe(ModelContextProtocol.Protocol.Tool tool)
    {
        var schema = tool.InputSchema;
        var required = schema.TryGetProperty("required", out var r) ? string.Join(' ', r.EnumerateArray().Select(x => x.GetString())) : string.Empty;
        var arguments = string.Join(' ', schema.GetProperty("properties").EnumerateObject().Select(Argument));
        var a = tool.Annotations!;
        var annotations = string.Join(' ', new[]
        {
            $"o={Flag(a.OpenWorldHint)}",
            $"r={Flag(a.ReadOnlyHint)}",
            a.DestructiveHint is null ? null : $"d={Flag(a.DestructiveHint)}",
            $"i={Flag(a.IdempotentHint)}",
        }.Where(x => x is not null));
        return $"{tool.Name} |{(required.Length == 0 ? string.Empty : " " + required)} | {arguments} | {annotations}";
    }

    private static string Argument(JsonProperty property)
    {
        var type = property.Value.GetProperty("type");
        var name = type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).First(t => t != "null") + "?"
            : type.GetString();
        var range = property.Value.TryGetProperty("minimum", out var min) ? $"[{min.GetRawText()}..{property.Value.GetProperty("maximum").GetRawText()}]" : string.Empty;
        return $"{property.Name}:{name}{range}";
    }

    private static string Flag(bool? value) => value == true ? "true" : "false";
}
