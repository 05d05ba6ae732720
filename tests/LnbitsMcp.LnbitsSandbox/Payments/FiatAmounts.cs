using System.Globalization;
using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>
/// LNbits' <c>calculate_fiat_amounts</c> (lnbits/core/services/payments.py lines 573–608): the sats of an amount
/// in <c>currency</c> and the <c>extra</c> fields that record the conversion.
/// <list type="bullet">
/// <item>a fiat currency other than the wallet's: <c>fiat_currency</c>, <c>fiat_amount</c> (rounded to 3 places),
/// <c>fiat_rate</c> = sats / amount (sats per unit), <c>btc_rate</c> = amount / sats × 10⁸ (price of one BTC);
/// 0 sats makes LNbits divide by zero (an unhandled error: 500);</item>
/// <item>a wallet currency (here the setting <c>accounting_currency</c>): <c>wallet_fiat_currency</c>,
/// <c>wallet_fiat_amount</c>, <c>wallet_fiat_rate</c>, <c>wallet_btc_rate</c>, the same way; failures there are
/// only logged, so the fields set before the failure stay.</item>
/// </list>
/// </summary>
internal static class FiatAmounts
{
    public static (long AmountSat, JsonObject Extra) Calculate(
        ExchangeRates rates, double amount, string? walletCurrency, string? currency, JsonObject? extra)
    {
        var result = extra ?? [];
        long amountSat;
        if (currency is not null && currency != "sat")
        {
            amountSat = rates.FiatAsSats(amount, currency);
            if (currency != walletCurrency)
            {
                result["fiat_currency"] = currency;
                result["fiat_amount"] = PythonRound(amount, 3);
                result["fiat_rate"] = Divide(amountSat, amount);
                result["btc_rate"] = Divide(amount, amountSat) * 100_000_000;
            }
        }
        else
        {
            amountSat = (long)amount;
        }

        if (walletCurrency is not null)
        {
            try
            {
                var fiatAmount = walletCurrency == currency ? amount : rates.SatsAsFiat(amountSat, walletCurrency);
                result["wallet_fiat_currency"] = walletCurrency;
                result["wallet_fiat_amount"] = PythonRound(fiatAmount, 3);
                result["wallet_fiat_rate"] = Divide(amountSat, fiatAmount);
                result["wallet_btc_rate"] = Divide(fiatAmount, amountSat) * 100_000_000;
            }
            catch (Exception exception) when (exception is DivideByZeroException or Errors.ApiException)
            {
                // LNbits logs "Error calculating fiat amount for wallet …" and goes on.
            }
        }

        return (amountSat, result);
    }

    /// <summary>Python's <c>round(x, n)</c>: half to even on the exact decimal value of the double.</summary>
    public static double PythonRound(double value, int digits)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 1e15)
        {
            return Math.Round(value, digits, MidpointRounding.ToEven);
        }

        var exact = decimal.Parse(value.ToString("F20", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return (double)Math.Round(exact, digits, MidpointRounding.ToEven);
    }

    /// <summary>Python's float division, which raises on a zero divisor (C# would give infinity).</summary>
    private static double Divide(double dividend, double divisor) =>
        divisor == 0 ? throw new DivideByZeroException("float division by zero") : dividend / divisor;
}
