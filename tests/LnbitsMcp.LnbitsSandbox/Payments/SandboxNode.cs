using System.Security.Cryptography;
using LnbitsMcp.LnbitsSandbox.Invoices;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>A regtest Lightning node that issues invoices: the sandbox's own node, or the "outside" node.</summary>
internal class SandboxNode(TimeProvider clock)
{
    public LightningNodeKey Key { get; } = LightningNodeKey.CreateRandom();

    public string NodeId => Key.PublicKeyHex;

    /// <summary>Creates and signs an invoice with a fresh preimage and payment secret (<paramref name="currency"/>:
    /// the BOLT11 network prefix, <c>bcrt</c> for regtest).</summary>
    public IssuedInvoice Issue(
        long? amountMsat,
        string? description,
        byte[]? descriptionHash,
        int expirySeconds,
        DateTimeOffset? createdAt = null,
        string currency = "bcrt")
    {
        var preimage = RandomNumberGenerator.GetBytes(32);
        var paymentHash = SHA256.HashData(preimage);
        var timestamp = (createdAt ?? clock.GetUtcNow()).ToUnixTimeSeconds();
        var bolt11 = Bolt11Encoder.Encode(
            new InvoiceDraft
            {
                Currency = currency,
                AmountMsat = amountMsat,
                Timestamp = timestamp,
                PaymentHash = paymentHash,
                PaymentSecret = RandomNumberGenerator.GetBytes(32),
                Description = description,
                DescriptionHash = descriptionHash,
                ExpirySeconds = expirySeconds,
            },
            Key);
        return new IssuedInvoice(
            bolt11,
            Convert.ToHexStringLower(paymentHash),
            Convert.ToHexStringLower(preimage),
            DateTimeOffset.FromUnixTimeSeconds(timestamp + expirySeconds));
    }
}

/// <summary>The node behind the sandbox wallets (whose invoices settle internally).</summary>
internal sealed class LocalNode(TimeProvider clock) : SandboxNode(clock);

internal sealed record IssuedInvoice(string Bolt11, string PaymentHash, string Preimage, DateTimeOffset ExpiresAt);
