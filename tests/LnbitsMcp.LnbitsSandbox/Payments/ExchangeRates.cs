using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>
/// LNbits' <c>lnbits/utils/exchange_rates.py</c> with fixed prices (setting <c>btc_prices</c>) standing in for its
/// rate providers: the currency list, <c>allowed_currencies()</c>, <c>get_fiat_rate_and_price_satoshis</c>,
/// <c>fiat_amount_as_satoshis</c> and <c>satoshis_amount_as_fiat</c>, with their errors (ValueError → 400).
/// </summary>
internal sealed class ExchangeRates(SettingsStore settings)
{
    /// <summary>The keys of LNbits' <c>currencies</c> dictionary, in its order (exchange_rates.py lines 11–177).</summary>
    public static readonly IReadOnlyList<string> KnownCurrencies =
    [
        .. ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BYR " +
            "BZD CAD CDF CHF CLF CLP CNH CNY COP CRC CUC CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL " +
            "GGP GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS IMP INR IQD IRT ISK JEP JMD JOD JPY KES KGS " +
            "KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRO MUR MVR MWK MXN MYR " +
            "MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD " +
            "SHP SLL SOS SRD SSP STD SVC SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VEF VES VND " +
            "VUV WST XAF XAG XAU XCD XDR XOF XPD XPF XPT YER ZAR ZMW ZWL").Split(' '),
    ];

    /// <summary><c>allowed_currencies()</c>: the known currencies, narrowed to <c>allowed_currencies</c> when that is set.</summary>
    public IReadOnlyList<string> Allowed()
    {
        var allowed = settings.Current.AllowedCurrencies;
        return allowed.Count == 0
            ? KnownCurrencies
            : [.. KnownCurrencies.Where(code => allowed.Contains(code, StringComparer.Ordinal))];
    }

    /// <summary><c>get_fiat_rate_and_price_satoshis</c>: (sats per unit, price of one BTC); (0, 0) without a price.
    /// A currency whose upper case is not allowed raises "Currency '&lt;as given&gt;' not allowed.".</summary>
    public (double Rate, double Price) RateAndPrice(string currency)
    {
        if (!Allowed().Contains(currency.ToUpperInvariant(), StringComparer.Ordinal))
        {
            throw ApiException.BadRequest($"Currency '{currency}' not allowed.");
        }

        var price = settings.Current.BtcPrices.TryGetValue(currency.ToUpperInvariant(), out var configured) && configured > 0
            ? configured
            : 0.0;
        return (price > 0 ? 100_000_000 / price : 0.0, price);
    }

    /// <summary><c>fiat_amount_as_satoshis</c>: <c>int(amount * rate)</c>, i.e. truncated towards zero.</summary>
    public long FiatAsSats(double amount, string currency)
    {
        var rate = RateOf(currency);
        return (long)(amount * rate);
    }

    /// <summary><c>satoshis_amount_as_fiat</c>: <c>amount / rate</c>.</summary>
    public double SatsAsFiat(double amountSat, string currency) => amountSat / RateOf(currency);

    private double RateOf(string currency)
    {
        var (rate, _) = RateAndPrice(currency);
        return rate > 0 ? rate : throw ApiException.BadRequest($"Could not get exchange rate for {currency}.");
    }
}
