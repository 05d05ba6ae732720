using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Payments;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.L402;

/// <summary>
/// The sandbox's L402 server (lightninglabs/L402 protocol-specification.md): mints a macaroon that commits to the
/// payment hash of a fresh invoice of the outside node (identifier = uint16 version 0 ‖ payment hash ‖ 32-byte token
/// id, caveat <c>services=&lt;name&gt;:0</c>, a random root key per token), and checks
/// <c>Authorization: L402 &lt;token&gt;:&lt;preimage&gt;</c>: a known token with a valid signature for this resource,
/// sha256(preimage) = the committed payment hash, and that invoice paid by a sandbox wallet.
/// </summary>
internal sealed class L402Paywall(OutsideNode outside, SandboxLedger ledger, TimeProvider clock)
{
    public const string Location = "lnbits-sandbox";
    public const int InvoiceExpirySeconds = 600;

    private readonly ConcurrentDictionary<string, MintedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ResourceStats> _stats = new(StringComparer.Ordinal);

    public L402Challenge Issue(string resource, L402Terms terms)
    {
        var invoice = outside.CreateInvoice(
            terms.PriceSats > 0 && terms.Invoice != L402InvoiceModes.Amountless ? terms.PriceSats : null,
            InvoiceExpirySeconds,
            $"L402 sandbox resource {resource}",
            terms.Invoice == L402InvoiceModes.Expired ? clock.GetUtcNow().AddSeconds(-2 * InvoiceExpirySeconds) : null,
            terms.Invoice == L402InvoiceModes.WrongNetwork ? "bc" : "bcrt");
        var committedHash = terms.Liar == L402LiarModes.OtherInvoice
            ? outside.CreateInvoice(terms.PriceSats, InvoiceExpirySeconds, $"L402 sandbox resource {resource} (not shown)").PaymentHash
            : invoice.PaymentHash;

        var identifier = new byte[66];
        BinaryPrimitives.WriteUInt16BigEndian(identifier, 0);
        Convert.FromHexString(committedHash).CopyTo(identifier, 2);
        RandomNumberGenerator.Fill(identifier.AsSpan(34));
        var rootKey = RandomNumberGenerator.GetBytes(32);
        var macaroon = Macaroon.Mint(rootKey, Location, identifier, [$"services={resource}:0"]);
        _tokens[Key(identifier)] = new MintedToken(rootKey, committedHash, terms.Liar == L402LiarModes.Preimage);
        Stats(resource).Challenge();
        return new L402Challenge(Convert.ToBase64String(macaroon.Serialize()), invoice.Bolt11, invoice.PaymentHash);
    }

    /// <summary>Checks an <c>Authorization</c> value; the payment hash it proves, or why it is refused.</summary>
    public L402Verdict Verify(string resource, string authorization)
    {
        var verdict = Check(resource, authorization);
        if (verdict.Accepted)
        {
            Stats(resource).Serve();
        }
        else
        {
            Stats(resource).Refuse();
        }

        return verdict;
    }

    public IReadOnlyDictionary<string, ResourceStats> Statistics => _stats;

    /// <summary>Whether <c>Authorization</c> uses the L402 (or former LSAT) scheme at all.</summary>
    public static bool IsL402(string? authorization) =>
        authorization is not null && (HasScheme(authorization, "L402") || HasScheme(authorization, "LSAT"));

    private L402Verdict Check(string resource, string authorization)
    {
        var credential = authorization[5..].Trim();
        var colon = credential.LastIndexOf(':');
        if (colon <= 0)
        {
            return L402Verdict.Refused("the credential is not <token>:<preimage>");
        }

        var token = credential[..colon];
        var preimageHex = credential[(colon + 1)..];
        if (token.Contains(',', StringComparison.Ordinal))
        {
            return L402Verdict.Refused("this server accepts one token per credential");
        }

        if (DecodeBase64(token) is not { } bytes || !Macaroon.TryParse(bytes, out var macaroon) || macaroon is null)
        {
            return L402Verdict.Refused("the token is not a base64 macaroon");
        }

        if (macaroon.Identifier.Length != 66 || BinaryPrimitives.ReadUInt16BigEndian(macaroon.Identifier) != 0
            || !_tokens.TryGetValue(Key(macaroon.Identifier), out var minted) || !macaroon.HasValidSignature(minted.RootKey))
        {
            return L402Verdict.Refused("the token was not minted by this server or was altered");
        }

        var services = macaroon.CaveatTexts.Where(c => c.StartsWith("services=", StringComparison.Ordinal)).ToList();
        if (services.Count == 0 || !services.All(c => c["services=".Length..].Split(',').Any(s => s == $"{resource}:0")))
        {
            return L402Verdict.Refused("the token is not valid for this resource");
        }

        var paymentHash = Convert.ToHexStringLower(macaroon.Identifier.AsSpan(2, 32));
        if (preimageHex.Length != 64 || !preimageHex.All(Uri.IsHexDigit)
            || minted.PreimageCheckFails
            || Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(preimageHex))) != paymentHash)
        {
            return L402Verdict.Refused("the preimage does not match the token's payment hash");
        }

        var paid = ledger.Locked(l => l.Payments.Any(p => p.PaymentHash == paymentHash && p.IsOutgoing && p.IsSuccess));
        return paid ? L402Verdict.Paid(paymentHash) : L402Verdict.Refused("the invoice bound to the token is not paid");
    }

    private static bool HasScheme(string authorization, string scheme) =>
        authorization.Length > scheme.Length && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
        && authorization[scheme.Length] == ' ';

    private static byte[]? DecodeBase64(string text)
    {
        var normalized = text.Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(normalized);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Key(byte[] identifier) => Convert.ToHexStringLower(SHA256.HashData(identifier));

    private ResourceStats Stats(string resource) => _stats.GetOrAdd(resource, _ => new ResourceStats());

    private sealed record MintedToken(byte[] RootKey, string PaymentHash, bool PreimageCheckFails);
}

/// <summary>What one challenge asks for (settings, or query overrides).</summary>
internal sealed record L402Terms(long PriceSats, string Invoice, string Liar);

/// <summary>A minted token (base64 macaroon) and the invoice shown with it.</summary>
internal sealed record L402Challenge(string Token, string Invoice, string InvoicePaymentHash)
{
    /// <summary>The <c>WWW-Authenticate</c> values of a challenge form (<see cref="L402Challenges"/>).</summary>
    public IReadOnlyList<string> Headers(string form) => form switch
    {
        L402Challenges.Token => [$"L402 version=\"0\", token=\"{Token}\", invoice=\"{Invoice}\""],
        L402Challenges.Lsat => [$"LSAT macaroon=\"{Token}\", invoice=\"{Invoice}\""],
        L402Challenges.Aperture => [$"LSAT macaroon=\"{Token}\", invoice=\"{Invoice}\"", $"L402 macaroon=\"{Token}\", invoice=\"{Invoice}\""],
        _ => [$"L402 macaroon=\"{Token}\", invoice=\"{Invoice}\""],
    };
}

internal sealed record L402Verdict(bool Accepted, string? PaymentHash, string? Reason)
{
    public static L402Verdict Paid(string paymentHash) => new(true, paymentHash, null);

    public static L402Verdict Refused(string reason) => new(false, null, reason);
}

/// <summary>Per resource: challenges issued (invoices minted), requests served, credentials refused.</summary>
internal sealed class ResourceStats
{
    private long _challenges;
    private long _served;
    private long _refused;

    public long Challenges => Interlocked.Read(ref _challenges);

    public long Served => Interlocked.Read(ref _served);

    public long Refused => Interlocked.Read(ref _refused);

    public void Challenge() => Interlocked.Increment(ref _challenges);

    public void Serve() => Interlocked.Increment(ref _served);

    public void Refuse() => Interlocked.Increment(ref _refused);
}
