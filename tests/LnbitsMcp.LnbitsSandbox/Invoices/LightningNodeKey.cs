using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>A Lightning node identity: a secp256k1 key that signs invoices (recoverable ECDSA, low-S).</summary>
internal sealed class LightningNodeKey
{
    private readonly ECPrivKey _key;

    private LightningNodeKey(ECPrivKey key)
    {
        _key = key;
        PublicKeyHex = Convert.ToHexStringLower(key.CreatePubKey().ToBytes(compressed: true));
    }

    /// <summary>Compressed public key (33 bytes) as lowercase hex: the node id.</summary>
    public string PublicKeyHex { get; }

    public static LightningNodeKey CreateRandom()
    {
        while (true)
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            if (ECPrivKey.TryCreate(secret, out var key))
            {
                return new LightningNodeKey(key);
            }
        }
    }

    /// <summary>Signs a 32-byte hash; returns r (32) || s (32) || recovery id (1).</summary>
    public byte[] SignRecoverable(ReadOnlySpan<byte> hash32)
    {
        if (!_key.TrySignRecoverable(hash32, out var signature) || signature is null)
        {
            throw new InvalidOperationException("secp256k1 refused to sign.");
        }

        var result = new byte[65];
        signature.WriteToSpanCompact(result.AsSpan(0, 64), out var recoveryId);
        result[64] = (byte)recoveryId;
        return result;
    }
}
