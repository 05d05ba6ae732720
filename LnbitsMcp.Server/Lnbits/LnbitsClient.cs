using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// The one way the server talks to an LNbits wallet (lnbits-api.md). All four auth methods end in a
/// wallet key: api_key_header/api_key_query use the configured key, bearer/oauth2 read the chosen
/// wallet's key with the user token. Amounts come back as integer msat. Only idempotent GETs are
/// retried; a payment POST is sent exactly once.
/// </summary>
public sealed partial class LnbitsClient
{
    private static readonly TimeSpan[] s_getRetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(600)];
    private readonly HttpClient _http;
    private readonly LnbitsSettings _settings;
    private readonly LnbitsCredentialCache _cache;
    private readonly ILogger _logger;

    public LnbitsClient(HttpClient http, LnbitsSettings settings, LnbitsCredentialCache cache, ILogger logger)
    {
        _http = http;
        _settings = settings;
        _cache = cache;
        _logger = logger;
    }

    public LnbitsSettings Settings => _settings;

    public async Task<LnbitsWallet> GetWalletAsync(CancellationToken cancellationToken)
    {
        var wallet = await SendAsync(HttpMethod.Get, "api/v1/wallet", null, KeyUse.WalletKey, LnbitsJsonContext.Default.LnbitsWalletResponse, cancellationToken);
        return new LnbitsWallet(wallet.Id, wallet.Name ?? "(unnamed wallet)", wallet.Balance);
    }

    /// <summary>
    /// The wallet key the configuration leads to and what it may do: an admin key sees the wallet
    /// <c>id</c> in <c>GET /api/v1/wallet</c>, an invoice key does not.
    /// </summary>
    public async Task<(LnbitsWallet Wallet, KeyType KeyType)> ProbeAsync(CancellationToken cancellationToken)
    {
        var wallet = await GetWalletAsync(cancellationToken);
        if (_settings.AuthMethod is LnbitsAuthMethod.Bearer or LnbitsAuthMethod.OAuth2)
        {
            var key = await WalletKeyAsync(cancellationToken);
            return (wallet, key.KeyType);
        }

        return (wallet, wallet.Id is null ? KeyType.Invoice : KeyType.Admin);
    }

    public async Task<IReadOnlyList<LnbitsPayment>> GetPaymentsAsync(int limit, int offset, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"api/v1/payments?limit={limit}&offset={offset}&sortby=time&direction=desc");
        var payments = await SendAsync(HttpMethod.Get, path, null, KeyUse.WalletKey, LnbitsJsonContext.Default.ListLnbitsPaymentResponse, cancellationToken);
        return [.. payments.Select(ToPayment)];
    }

    /// <summary>
    /// One page of <c>GET /api/v1/payments/paginated</c> (failed payments included unless filtered out) and the number
    /// of all matches. LNbits counts only when the page has rows (lnbits/db.py <c>fetch_page</c>): an empty page past
    /// the end says total 0, so the total is then asked for once more from the start.
    /// </summary>
    public async Task<LnbitsPaymentPage> GetPaymentsPageAsync(LnbitsPaymentQuery query, CancellationToken cancellationToken)
    {
        var page = await SendAsync(HttpMethod.Get, "api/v1/payments/paginated?" + query.ToQueryString(), null, KeyUse.WalletKey,
            LnbitsJsonContext.Default.LnbitsPaymentPageResponse, cancellationToken);
        var total = page.Total;
        if (page.Data.Count == 0 && query.Offset > 0)
        {
            var first = await SendAsync(HttpMethod.Get, "api/v1/payments/paginated?" + (query with { Limit = 1, Offset = 0 }).ToQueryString(), null,
                KeyUse.WalletKey, LnbitsJsonContext.Default.LnbitsPaymentPageResponse, cancellationToken);
            total = first.Total;
        }

        return new LnbitsPaymentPage([.. page.Data.Select(ToPayment)], total);
    }

    /// <summary>The currency codes LNbits converts (<c>GET /api/v1/currencies</c>, no key needed).</summary>
    public async Task<IReadOnlyList<string>> GetCurrenciesAsync(CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, "api/v1/currencies", null, KeyUse.None, LnbitsJsonContext.Default.ListString, cancellationToken);

    /// <summary>LNbits' exchange rate (<c>GET /api/v1/rate/{currency}</c>, no key needed); 0 when its providers have none.</summary>
    public async Task<LnbitsRate> GetRateAsync(string currency, CancellationToken cancellationToken)
    {
        var rate = await SendAsync(HttpMethod.Get, $"api/v1/rate/{Uri.EscapeDataString(currency)}", null, KeyUse.None,
            LnbitsJsonContext.Default.LnbitsRateResponse, cancellationToken);
        return new LnbitsRate(currency, rate.Rate, rate.Price);
    }

    /// <summary>
    /// <c>POST /api/v1/conversion</c> (no key needed): from "sat" to one or more currencies (comma-separated
    /// <paramref name="to"/>), or from a currency to sats. The fiat amounts come back under upper-case codes.
    /// </summary>
    public async Task<LnbitsConversion> ConvertAsync(double amount, string from, string to, CancellationToken cancellationToken)
    {
        var body = Json(new LnbitsConversionRequest(from, amount, to), LnbitsJsonContext.Default.LnbitsConversionRequest);
        var answer = await SendAsync(HttpMethod.Post, "api/v1/conversion", body, KeyUse.None, LnbitsJsonContext.Default.DictionaryStringDouble, cancellationToken);
        var sats = answer.TryGetValue("sats", out var s) ? (long)s : throw new LnbitsApiException(ToolErrorCodes.LnbitsError, "LNbits answered the conversion without sats.");
        var fiat = answer.Where(pair => pair.Key is not ("sats" or "BTC")).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return new LnbitsConversion(sats, answer.GetValueOrDefault("BTC"), fiat);
    }

    public Task<LnbitsPayment> CreateInvoiceAsync(long amountSat, string? memo, string? descriptionHash, int? expirySeconds, CancellationToken cancellationToken) =>
        CreateInvoiceAsync(amountSat, "sat", memo, descriptionHash, expirySeconds, cancellationToken);

    /// <summary>
    /// Creates an invoice for <paramref name="amount"/> in <paramref name="unit"/>: "sat", or a currency code that
    /// LNbits converts at its own rate (<c>unit</c> of <c>POST /api/v1/payments</c>; the conversion lands in
    /// <see cref="LnbitsPayment.Fiat"/>).
    /// </summary>
    public async Task<LnbitsPayment> CreateInvoiceAsync(double amount, string unit, string? memo, string? descriptionHash, int? expirySeconds, CancellationToken cancellationToken)
    {
        var request = new LnbitsCreatePaymentRequest
        {
            Out = false,
            Amount = amount,
            Unit = unit,
            Memo = memo,
            DescriptionHash = descriptionHash,
            Expiry = expirySeconds,
        };
        var payment = await SendAsync(HttpMethod.Post, "api/v1/payments", Json(request, LnbitsJsonContext.Default.LnbitsCreatePaymentRequest),
            KeyUse.WalletKey, LnbitsJsonContext.Default.LnbitsPaymentResponse, cancellationToken);
        return ToPayment(payment);
    }

    /// <summary>Pays a BOLT11 invoice. Never retried: when no answer comes the outcome is unknown.</summary>
    public async Task<LnbitsPayment> PayInvoiceAsync(string bolt11, CancellationToken cancellationToken)
    {
        var request = new LnbitsCreatePaymentRequest { Out = true, Bolt11 = bolt11 };
        var payment = await SendAsync(HttpMethod.Post, "api/v1/payments", Json(request, LnbitsJsonContext.Default.LnbitsCreatePaymentRequest),
            KeyUse.WalletKey, LnbitsJsonContext.Default.LnbitsPaymentResponse, cancellationToken);
        return ToPayment(payment);
    }

    /// <summary>
    /// Pays a Lightning Address / LNURL through LNbits' own flow (<c>POST /api/v1/payments/lnurl</c>,
    /// LNbits 1.3+). Returns null when this LNbits has no such endpoint (older versions), so the
    /// caller can run the LNURL flow itself.
    /// </summary>
    public async Task<LnbitsPayment?> PayLnurlAsync(string lnurl, long amountMsat, string? comment, CancellationToken cancellationToken)
    {
        var request = new LnbitsLnurlPaymentRequest(lnurl, amountMsat, comment, "sat");
        try
        {
            var payment = await SendAsync(HttpMethod.Post, "api/v1/payments/lnurl", Json(request, LnbitsJsonContext.Default.LnbitsLnurlPaymentRequest),
                KeyUse.WalletKey, LnbitsJsonContext.Default.LnbitsPaymentResponse, cancellationToken);
            return ToPayment(payment);
        }
        catch (LnbitsApiException ex) when (IsMissingLnurlEndpoint(ex))
        {
            return null;
        }
    }

    public async Task<LnbitsPaymentStatus> GetPaymentStatusAsync(string paymentHash, CancellationToken cancellationToken)
    {
        var status = await SendAsync(HttpMethod.Get, $"api/v1/payments/{Uri.EscapeDataString(paymentHash)}", null,
            KeyUse.HeaderKey, LnbitsJsonContext.Default.LnbitsPaymentStatusResponse, cancellationToken);
        var details = status.Details is null ? null : ToPayment(status.Details);
        Telemetry.SecretRedactor.RegisterForCall(status.Preimage);
        var normalized = status.Paid
            ? PaymentStatuses.Success
            : PaymentStatuses.Normalize(status.Status ?? details?.Status, pending: status.Status is null && details is null ? true : null);
        return new LnbitsPaymentStatus(paymentHash, status.Paid, normalized, status.Preimage ?? details?.Preimage, details);
    }

    /// <summary>LNbits' own decoder (no auth). The server decodes locally; this is for comparison and diagnostics.</summary>
    public Task<JsonElement> DecodeAsync(string data, CancellationToken cancellationToken)
    {
        var body = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["data"] = data }, LnbitsDictionaryJson.Default.DictionaryStringString), Encoding.UTF8, "application/json");
        return SendAsync(HttpMethod.Post, "api/v1/payments/decode", body, KeyUse.None, LnbitsJsonContext.Default.JsonElement, cancellationToken);
    }

    /// <summary>Whether LNbits answers at all (<c>GET /api/v1/health</c>, no credentials) and how fast.</summary>
    public async Task<TimeSpan> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await SendAsync(HttpMethod.Get, "api/v1/health", null, KeyUse.None, LnbitsJsonContext.Default.JsonElement, cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Round-trip time of an authenticated wallet read.</summary>
    public async Task<TimeSpan> MeasureLatencyAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await GetWalletAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The wallet key this configuration leads to (configured, or read with the user token).</summary>
    public async Task<LnbitsWalletKey> WalletKeyAsync(CancellationToken cancellationToken)
    {
        switch (_settings.AuthMethod)
        {
            case LnbitsAuthMethod.ApiKeyHeader or LnbitsAuthMethod.ApiKeyQuery:
                var key = _settings.ApiKey ?? throw new ToolException(ToolErrorCodes.NotConfigured, "No API key is configured for this LNbits connection.");
                return new LnbitsWalletKey(_settings.WalletId ?? string.Empty, _settings.WalletName, key, _settings.KeyType);
            default:
                if (_cache.FindWalletKey(_settings) is { } cached)
                {
                    return cached;
                }

                var walletKey = await ReadWalletKeyWithTokenAsync(cancellationToken);
                _cache.StoreWalletKey(_settings, walletKey);
                return walletKey;
        }
    }

    /// <summary>The user's wallets (id and name) with a user token (bearer, oauth2).</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> ListWalletsAsync(CancellationToken cancellationToken)
    {
        var wallets = await SendAsync(HttpMethod.Get, "api/v1/wallets", null, KeyUse.UserToken, LnbitsJsonContext.Default.ListLnbitsUserWallet, cancellationToken);
        return [.. wallets.Select(w => (w.Id, w.Name ?? w.Id))];
    }

    private async Task<LnbitsWalletKey> ReadWalletKeyWithTokenAsync(CancellationToken cancellationToken)
    {
        var wallets = await SendAsync(HttpMethod.Get, "api/v1/wallets", null, KeyUse.UserToken, LnbitsJsonContext.Default.ListLnbitsUserWallet, cancellationToken);
        var wallet = _settings.WalletId is { Length: > 0 } walletId
            ? wallets.FirstOrDefault(w => string.Equals(w.Id, walletId, StringComparison.OrdinalIgnoreCase))
                ?? throw new ToolException(ToolErrorCodes.InvalidArgument, $"This LNbits user has no wallet with id '{walletId}' (it has {wallets.Count}).")
            : wallets.FirstOrDefault()
                ?? throw new ToolException(ToolErrorCodes.LnbitsError, "This LNbits user has no wallet.");
        if (wallet.AdminKey is { Length: > 0 } adminKey)
        {
            return new LnbitsWalletKey(wallet.Id, wallet.Name, new Secret(adminKey), KeyType.Admin);
        }

        if (wallet.InvoiceKey is { Length: > 0 } invoiceKey)
        {
            return new LnbitsWalletKey(wallet.Id, wallet.Name, new Secret(invoiceKey), KeyType.Invoice);
        }

        throw new ToolException(ToolErrorCodes.LnbitsError, "LNbits listed the wallet without its keys; this LNbits version may not support token access.");
    }

    private async Task<Secret> AccessTokenAsync(bool forceLogin, CancellationToken cancellationToken)
    {
        if (_settings.AuthMethod == LnbitsAuthMethod.Bearer)
        {
            return _settings.BearerToken ?? throw new ToolException(ToolErrorCodes.NotConfigured, "No bearer token is configured for this LNbits connection.");
        }

        if (!forceLogin && _cache.FindAccessToken(_settings) is { } cached)
        {
            return cached;
        }

        var username = _settings.Username ?? throw new ToolException(ToolErrorCodes.NotConfigured, "No username is configured for oauth2.");
        var password = _settings.Password ?? throw new ToolException(ToolErrorCodes.NotConfigured, "No password is configured for oauth2.");
        var body = Json(new LnbitsLoginRequest(username, password.Reveal()), LnbitsJsonContext.Default.LnbitsLoginRequest);
        var login = await SendAsync(HttpMethod.Post, "api/v1/auth", body, KeyUse.None, LnbitsJsonContext.Default.LnbitsLoginResponse, cancellationToken);
        var token = login.AccessToken is { Length: > 0 } value
            ? new Secret(value)
            : throw new LnbitsApiException(ToolErrorCodes.LnbitsError, "LNbits accepted the login but returned no access token.");
        _cache.StoreAccessToken(_settings, token);
        return token;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, KeyUse keyUse, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var payload = content is null ? null : await content.ReadAsByteArrayAsync(cancellationToken);
        var mediaType = content?.Headers.ContentType;
        var authRetried = false;
        var attempt = 0;
        while (true)
        {
            try
            {
                using var request = await BuildRequestAsync(method, path, payload, mediaType, keyUse, forceLogin: authRetried, cancellationToken);
                return await SendOnceAsync(request, typeInfo, cancellationToken);
            }
            catch (LnbitsApiException ex) when (!authRetried && IsAuthFailure(ex) && keyUse != KeyUse.None
                && _settings.AuthMethod is LnbitsAuthMethod.OAuth2 or LnbitsAuthMethod.Bearer)
            {
                // A rejected credential means LNbits did nothing: refresh the token / wallet key once.
                authRetried = true;
                _cache.Evict(_settings);
                if (_settings.AuthMethod == LnbitsAuthMethod.Bearer && keyUse == KeyUse.UserToken)
                {
                    throw;
                }
            }
            catch (LnbitsApiException ex) when (method == HttpMethod.Get && attempt < s_getRetryDelays.Length && IsTransient(ex))
            {
                await Task.Delay(s_getRetryDelays[attempt++], cancellationToken);
            }
        }
    }

    private async Task<HttpRequestMessage> BuildRequestAsync(HttpMethod method, string path, byte[]? payload, MediaTypeHeaderValue? mediaType, KeyUse keyUse, bool forceLogin, CancellationToken cancellationToken)
    {
        var requestPath = path;
        var request = new HttpRequestMessage(method, (Uri?)null);
        switch (keyUse)
        {
            case KeyUse.WalletKey or KeyUse.HeaderKey:
                var key = await WalletKeyAsync(cancellationToken);
                if (keyUse == KeyUse.WalletKey && _settings.AuthMethod == LnbitsAuthMethod.ApiKeyQuery)
                {
                    requestPath += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-key=" + Uri.EscapeDataString(key.Key.Reveal());
                }
                else
                {
                    // GET /api/v1/payments/{hash} reads the key from the header only (lnbits-api.md §4.5).
                    request.Headers.TryAddWithoutValidation("X-Api-Key", key.Key.Reveal());
                }

                break;
            case KeyUse.UserToken:
                var token = await AccessTokenAsync(forceLogin, cancellationToken);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Reveal());
                break;
        }

        request.RequestUri = new Uri(BaseUri(), requestPath);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = mediaType ?? new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    private async Task<T> SendOnceAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_settings.TimeoutSeconds));
        var started = Stopwatch.GetTimestamp();
        var operation = $"{request.Method} /{request.RequestUri!.AbsolutePath.TrimStart('/')}";
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(_logger, operation, "timeout");
            throw LnbitsErrorMapper.Unreachable(_settings.BaseUrl, string.Create(CultureInfo.InvariantCulture, $"no answer within {_settings.TimeoutSeconds} s"));
        }
        catch (Exception ex) when (Security.ForbiddenDestinationException.FindIn(ex) is { } forbidden)
        {
            throw new ToolException(ToolErrorCodes.ForbiddenDestination, forbidden.Message);
        }
        catch (Security.ResponseTooLargeException tooLarge)
        {
            throw new LnbitsApiException(ToolErrorCodes.LnbitsError, tooLarge.Message);
        }
        catch (Exception ex) when (ex is Security.CrossOriginRedirectException || ex.InnerException is Security.CrossOriginRedirectException)
        {
            var redirect = ex as Security.CrossOriginRedirectException ?? (Security.CrossOriginRedirectException)ex.InnerException!;
            throw new LnbitsApiException(ToolErrorCodes.LnbitsError,
                $"LNbits at {redirect.From.GetLeftPart(UriPartial.Authority)} answered {operation} with a redirect to another origin ({redirect.To.GetLeftPart(UriPartial.Authority)}); the API key is not sent there and nothing was done. Use the LNbits URL the redirect points to, if you trust it.");
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(_logger, operation, ex.HttpRequestError.ToString());
            var connectionFailed = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw LnbitsErrorMapper.Unreachable(_settings.BaseUrl, Describe(ex), connectionFailed);
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw LnbitsErrorMapper.Unreachable(_settings.BaseUrl, "the answer did not finish in time");
            }
            catch (HttpRequestException ex)
            {
                throw LnbitsErrorMapper.Unreachable(_settings.BaseUrl, Describe(ex));
            }

            var status = (int)response.StatusCode;
            LogAnswered(_logger, operation, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                throw LnbitsErrorMapper.FromResponse(status, body, response.Content.Headers.ContentType?.MediaType, Redact);
            }

            try
            {
                return JsonSerializer.Deserialize(body, typeInfo)
                    ?? throw new LnbitsApiException(ToolErrorCodes.LnbitsError, $"LNbits answered {operation} with an empty body.", status);
            }
            catch (JsonException)
            {
                var kind = response.Content.Headers.ContentType?.MediaType ?? "no content type";
                throw new LnbitsApiException(ToolErrorCodes.LnbitsError,
                    string.Create(CultureInfo.InvariantCulture, $"LNbits answered {operation} (HTTP {status}) with something that is not the expected JSON ({kind}). Is the URL an LNbits server?"), status);
            }
        }
    }

    /// <summary>Removes every configured secret from text LNbits sent back (it may echo a key).</summary>
    private string Redact(string text)
    {
        foreach (var secret in new[] { _settings.ApiKey, _settings.BearerToken, _settings.Password })
        {
            if (secret is not null)
            {
                text = text.Replace(secret.Reveal(), "***", StringComparison.Ordinal);
            }
        }

        if (_cache.FindWalletKey(_settings) is { } walletKey)
        {
            text = text.Replace(walletKey.Key.Reveal(), "***", StringComparison.Ordinal);
        }

        return text;
    }

    private Uri BaseUri()
    {
        var text = _settings.BaseUrl.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    private static string Describe(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        HttpRequestError.ConnectionError => "the connection was refused or failed",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "the connection closed before a valid answer",
        _ => ex.StatusCode is { } code ? $"HTTP {(int)code}" : "the request failed",
    };

    private static StringContent Json<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new(JsonSerializer.Serialize(value, typeInfo), Encoding.UTF8, "application/json");

    private static bool IsAuthFailure(LnbitsApiException ex) => ex.Code == ToolErrorCodes.LnbitsUnauthorized;

    private static bool IsTransient(LnbitsApiException ex) =>
        ex.ConnectionFailed
        || ex.HttpStatus is (int)HttpStatusCode.InternalServerError or (int)HttpStatusCode.BadGateway or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout;

    private static bool IsMissingLnurlEndpoint(LnbitsApiException ex) =>
        ex.HttpStatus == 404 && ex.Code != ToolErrorCodes.LnbitsUnauthorized
        || (ex.HttpStatus is 400 && (ex.Message.Contains("body.callback", StringComparison.Ordinal) || ex.Message.Contains("body.description", StringComparison.Ordinal)));

    internal static LnbitsPayment ToPayment(LnbitsPaymentResponse payment)
    {
        Telemetry.SecretRedactor.RegisterForCall(payment.Preimage);
        string? successAction = null;
        if (payment.Extra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty("success_action", out var action))
        {
            successAction = action.ValueKind == JsonValueKind.String ? action.GetString() : action.GetRawText();
        }

        var amountMsat = Math.Abs(payment.Amount);
        return new LnbitsPayment(
            payment.PaymentHash,
            Incoming: payment.Amount > 0,
            AmountMsat: amountMsat,
            FeeMsat: Math.Abs(payment.Fee),
            Status: PaymentStatuses.Normalize(payment.Status, payment.Pending),
            payment.Memo,
            payment.Time,
            payment.Bolt11 ?? payment.PaymentRequest,
            payment.Preimage,
            payment.Expiry,
            successAction,
            FiatIn(payment.Extra, "fiat_", "btc_rate", amountMsat),
            FiatIn(payment.Extra, "wallet_fiat_", "wallet_btc_rate", amountMsat));
    }

    /// <summary><c>&lt;prefix&gt;currency</c>, <c>&lt;prefix&gt;amount</c>, <c>&lt;prefix&gt;rate</c> and the BTC price from
    /// a payment's <c>extra</c>; a missing rate or price is derived from the amounts as LNbits derives it.</summary>
    private static LnbitsFiatAmount? FiatIn(JsonElement? extra, string prefix, string btcRateField, long amountMsat)
    {
        if (extra is not { ValueKind: JsonValueKind.Object } fields
            || !fields.TryGetProperty(prefix + "currency", out var currency) || currency.ValueKind != JsonValueKind.String
            || !fields.TryGetProperty(prefix + "amount", out var amount) || !amount.TryGetDouble(out var fiatAmount) || fiatAmount <= 0)
        {
            return null;
        }

        var sats = amountMsat / 1000.0;
        var rate = fields.TryGetProperty(prefix + "rate", out var r) && r.TryGetDouble(out var given) ? given : sats / fiatAmount;
        var price = fields.TryGetProperty(btcRateField, out var p) && p.TryGetDouble(out var btc) ? btc : sats > 0 ? fiatAmount / sats * 100_000_000 : 0;
        return new LnbitsFiatAmount(currency.GetString()!, fiatAmount, rate, price);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LNbits {Operation} answered {Status} in {ElapsedMs:F0} ms")]
    private static partial void LogAnswered(ILogger logger, string operation, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LNbits {Operation} unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string operation, string reason);

    private enum KeyUse
    {
        None,
        WalletKey,
        HeaderKey,
        UserToken,
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LnbitsDictionaryJson : System.Text.Json.Serialization.JsonSerializerContext;
