using System.Text;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.L402;
using LnbitsMcp.LnbitsSandbox.Settings;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>
/// Sandbox-only L402-protected resources: <c>GET|POST /sandbox/l402/{name}</c> answers 402 with a challenge until the
/// request carries a paid <c>Authorization: L402 &lt;token&gt;:&lt;preimage&gt;</c>, then the resource. The query
/// (<c>challenge</c>, <c>invoice</c>, <c>liar</c>, <c>price_sats</c>, <c>redirect</c>) overrides the <c>l402_*</c>
/// settings for one request; <c>format=text</c> or <c>size=N</c> shape the resource body.
/// </summary>
internal static class L402Api
{
    private const int MaxBodySize = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapL402Api(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/sandbox/l402/{name}", [HttpMethods.Get, HttpMethods.Post], ServeAsync);
        app.MapGet("/sandbox/l402-stats", GetStats);
        return app;
    }

    private static async Task<IResult> ServeAsync(string name, HttpRequest request, L402Paywall paywall, SettingsStore settings, CancellationToken cancellationToken)
    {
        var current = settings.Current;
        var query = new QueryModel(request.Query);
        var redirect = query.Str("redirect") ?? current.L402RedirectUrl;
        var form = query.OneOf("challenge", L402Challenges.All) ?? current.L402Challenge;
        var terms = new L402Terms(
            query.Int("price_sats") ?? current.L402PriceSats,
            query.OneOf("invoice", L402InvoiceModes.All) ?? current.L402Invoice,
            query.OneOf("liar", L402LiarModes.All) ?? current.L402Liar);
        var format = query.OneOf("format", "json", "text");
        var size = query.Int("size");
        query.ThrowIfInvalid();
        if (terms.PriceSats < 0 || size is < 0 or > MaxBodySize)
        {
            throw ApiException.BadRequest($"price_sats must be >= 0 and size 0..{MaxBodySize}.");
        }

        if (redirect is not null)
        {
            return TypedResults.Redirect(redirect);
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!L402Paywall.IsL402(authorization))
        {
            return Challenge(request, paywall.Issue(name, terms), form, StatusCodes.Status402PaymentRequired, "Payment Required", terms.PriceSats);
        }

        var verdict = paywall.Verify(name, authorization);
        if (!verdict.Accepted)
        {
            // RFC 7235: a 401 carries a challenge; the credential was refused and nothing more is served.
            return Challenge(request, paywall.Issue(name, terms), form, StatusCodes.Status401Unauthorized, verdict.Reason!, terms.PriceSats);
        }

        var received = await ReceivedBytesAsync(request, cancellationToken);
        if (size is { } length)
        {
            var text = string.Concat(Enumerable.Repeat("L402 sandbox resource ", (int)(length / 22) + 1))[..(int)length];
            return TypedResults.Text(text, "text/plain", Encoding.UTF8);
        }

        if (format == "text")
        {
            return TypedResults.Text($"The L402 sandbox resource '{name}' (paid with payment hash {verdict.PaymentHash}).", "text/plain", Encoding.UTF8);
        }

        var body = new JsonObject
        {
            ["resource"] = name,
            ["content"] = $"The L402 sandbox resource '{name}'.",
            ["payment_hash"] = verdict.PaymentHash,
            ["method"] = request.Method,
        };
        if (received is not null)
        {
            body["received_bytes"] = received.Value;
            body["received_content_type"] = request.ContentType;
        }

        return ApiResults.Json(body);
    }

    private static IResult GetStats(L402Paywall paywall)
    {
        var stats = new JsonObject();
        foreach (var (resource, counts) in paywall.Statistics.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            stats[resource] = new JsonObject { ["challenges"] = counts.Challenges, ["served"] = counts.Served, ["refused"] = counts.Refused };
        }

        return ApiResults.Json(stats);
    }

    private static IResult Challenge(HttpRequest request, L402Challenge challenge, string form, int status, string detail, long priceSats)
    {
        foreach (var header in challenge.Headers(form))
        {
            request.HttpContext.Response.Headers.Append("WWW-Authenticate", header);
        }

        return ApiResults.Json(new JsonObject { ["detail"] = detail, ["price_sats"] = priceSats }, status);
    }

    private static async Task<long?> ReceivedBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length;
    }
}
