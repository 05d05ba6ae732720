using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Api;

/// <summary>LNbits' exchange-rate routes (lnbits/core/views/api.py lines 92–118), without authentication as there.</summary>
internal static class FiatApi
{
    public static IEndpointRouteBuilder MapFiatApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/currencies", ListCurrencies);
        app.MapGet("/api/v1/rate/{currency}", GetRate);
        app.MapPost("/api/v1/conversion", ConvertAsync);
        return app;
    }

    /// <summary><c>allowed_currencies()</c> as a JSON array of codes.</summary>
    private static IResult ListCurrencies(ExchangeRates rates) =>
        TypedResults.Json(new JsonArray([.. rates.Allowed().Select(code => (JsonNode)code)]), SandboxJson.Api.JsonArray);

    /// <summary><c>{"rate": sats per unit, "price": price of one BTC}</c>; both 0 when no provider has a price.</summary>
    private static IResult GetRate(string currency, ExchangeRates rates)
    {
        var (rate, price) = rates.RateAndPrice(currency);
        return ApiResults.Json(new JsonObject { ["rate"] = rate, ["price"] = price });
    }

    /// <summary>Body <c>ConversionData</c> (lnbits/core/models/misc.py): <c>from_</c> (literally, pydantic v1 has no
    /// alias; default "sat"), <c>amount</c> (float, required), <c>to</c> (default "usd", comma-separated).</summary>
    private static async Task<IResult> ConvertAsync(HttpRequest request, ExchangeRates rates, CancellationToken cancellationToken)
    {
        var model = new BodyModel(await JsonBody.ReadAsync(request, cancellationToken));
        var from = model.Str("from_") ?? "sat";
        var amount = model.Float("amount", required: true);
        var to = model.Str("to") ?? "usd";
        model.ThrowIfInvalid();

        var output = new JsonObject();
        if (from == "sat")
        {
            output["BTC"] = amount!.Value / 100_000_000;
            output["sats"] = (long)amount.Value;
            foreach (var currency in to.Split(','))
            {
                output[currency.Trim().ToUpperInvariant()] = rates.SatsAsFiat(amount.Value, currency.Trim());
            }
        }
        else
        {
            var sats = rates.FiatAsSats(amount!.Value, from);
            output[from.ToUpperInvariant()] = amount.Value;
            output["sats"] = sats;
            output["BTC"] = sats / 100_000_000.0;
        }

        return ApiResults.Json(output);
    }
}
