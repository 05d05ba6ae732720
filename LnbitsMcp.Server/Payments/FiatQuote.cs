using System.Globalization;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Payments;

/// <summary>An amount in a fiat currency converted to whole sats by the wallet's LNbits, and the rate that gave it.</summary>
/// <param name="Rate">Sats per unit of the currency, as the conversion came out (sats ÷ amount).</param>
public sealed record FiatQuote(string Currency, double Amount, long Sats, double Rate)
{
    public const double MaxAmount = 1_000_000_000_000;

    public long AmountMsat => checked(Sats * 1000);

    /// <summary>A fiat amount must be more than 0 and at most <see cref="MaxAmount"/>.</summary>
    public static void CheckAmount(double amount)
    {
        if (!(amount > 0) || amount > MaxAmount)
        {
            throw ToolException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                $"amount must be more than 0 and at most {MaxAmount:0} in the currency (was {amount})."));
        }
    }

    /// <summary>
    /// Converts with LNbits' own <c>POST /api/v1/conversion</c> (LNbits truncates to whole sats, as it does for fiat
    /// invoices): an unsupported currency is <c>invalid_argument</c> (from <see cref="LnbitsCurrencies"/>), no rate is
    /// LNbits' error, less than one sat is <c>invalid_argument</c>.
    /// </summary>
    public static async Task<FiatQuote> ConvertAsync(LnbitsClient client, LnbitsCurrencies currencies, double amount, string currency, CancellationToken cancellationToken)
    {
        CheckAmount(amount);
        var code = await currencies.RequireSupportedAsync(client, currency, cancellationToken);
        var conversion = await client.ConvertAsync(amount, code, "sat", cancellationToken);
        if (conversion.Sats < 1)
        {
            throw ToolException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                $"{amount} {code} is less than 1 sat at LNbits' rate; give a larger amount."));
        }

        return new FiatQuote(code, amount, conversion.Sats, conversion.Sats / amount);
    }
}
