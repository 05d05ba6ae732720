using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LnbitsMcp.Server.L402;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class L402Tools(SessionAccess access, L402Payment l402, IOptions<L402Options> options)
{
    private const int MaxRequestBodyChars = 64 * 1024;
    private static readonly string[] s_allowedHeaders = ["Accept", "Content-Type"];

    [McpServerTool(Title = "Pay for an HTTP resource (L402)", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(L402Result))]
    [Description("Fetches an HTTP(S) URL that may PAY with Lightning (L402): when the resource answers 402 Payment Required with an " +
        "L402 (or LSAT) challenge, PAYS its invoice from the configured wallet (real money, at most max_sats) and repeats the request " +
        "with the credential, which is reused for later requests to the same origin without paying again. Returns the HTTP status, " +
        "content type and body (text up to 64 KB), the sats paid and the payment hash. Refused before paying: invoices that are invalid, " +
        "expired, amountless, for another network, above max_sats, the per-payment limit or the 24-hour budget; private addresses. " +
        "Payments above the confirmation threshold wait for the user's approval, which you cannot give: the client asks the user, or the call " +
        "answers confirmation_required with an approval_url to show the user and an approval_id; after the user approved, repeat the same call " +
        "with approval_id. dry_run reports the price and pays nothing.")]
    public async Task<CallToolResult> PayL402Async(
        McpServer server,
        RequestContext<CallToolRequestParams> mcpRequest,
        [Description("The http(s) URL of the resource.")] string url,
        [Description("The most this call may pay, in sats (the operator caps it, default 1000).")][Range(1, 2_100_000_000_000_000)] long max_sats,
        [Description("GET (default) or POST.")] string method = "GET",
        [Description("Request body for POST (text, e.g. JSON; at most 64 KB).")] string? body = null,
        [Description("Request headers; only Accept and Content-Type are sent.")] Dictionary<string, string>? headers = null,
        [Description("true: only report what access would cost (price, limits left, balance); pay nothing.")] bool dry_run = false,
        [Description(PaymentTools.ApprovalIdText)] string? approval_id = null,
        [Description(PaymentTools.TokenText)] string? confirmation_token = null,
        CancellationToken cancellationToken = default)
    {
        var request = Parse(url, method, body, headers);
        var cap = options.Value.MaxL402Sats;
        if (max_sats > cap)
        {
            throw new ToolException(ToolErrorCodes.LimitExceeded,
                string.Create(CultureInfo.InvariantCulture, $"max_sats {max_sats} is over the operator's limit for L402 payments ({cap} sats, Payments:MaxL402Sats). Nothing was paid."),
                new Dictionary<string, object?> { ["limit"] = "max_l402_sats", ["max_l402_sats"] = cap, ["requested_sats"] = max_sats });
        }

        var connection = access.RequireLnbits();
        var call = new PaymentCall("pay_l402", connection, server, connection.Session?.Hint ?? access.Call.SessionHint, dry_run, confirmation_token)
        {
            ApprovalId = approval_id?.Trim(),
            Owner = access.Call.Owner,
            Request = mcpRequest,
        };
        return ToolResults.Success(await l402.FetchAsync(call, request, max_sats, cancellationToken));
    }

    private static L402Request Parse(string url, string method, string? body, Dictionary<string, string>? headers)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw ToolException.InvalidArgument("url must be an absolute http or https URL.");
        }

        var httpMethod = method.Trim().ToUpperInvariant() switch
        {
            "GET" => HttpMethod.Get,
            "POST" => HttpMethod.Post,
            _ => throw ToolException.InvalidArgument("method must be GET or POST."),
        };
        if (body is not null && httpMethod != HttpMethod.Post)
        {
            throw ToolException.InvalidArgument("body is only sent with method POST.");
        }

        if (body is { Length: > MaxRequestBodyChars })
        {
            throw ToolException.InvalidArgument(string.Create(CultureInfo.InvariantCulture, $"body is {body.Length} characters; at most {MaxRequestBodyChars}."));
        }

        var allowed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers ?? [])
        {
            if (!s_allowedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw ToolException.InvalidArgument($"headers may only set {string.Join(" and ", s_allowedHeaders)} (not {name}).");
            }

            if (value.Length > 256 || value.Any(char.IsControl))
            {
                throw ToolException.InvalidArgument($"headers.{name} must be at most 256 characters without control characters.");
            }

            allowed[name] = value;
        }

        return new L402Request(uri, httpMethod, body, allowed);
    }
}
