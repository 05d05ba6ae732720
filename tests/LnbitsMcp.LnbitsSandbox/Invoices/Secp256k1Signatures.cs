using NBitcoin.Secp256k1;

namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>Recovery and verification of BOLT11 signatures (r || s || recovery id).</summary>
internal static class Secp256k1Signatures
{
    /// <summary>Recovers the compressed public key (hex) that produced a 65-byte recoverable signature over hash32.</summary>
    public static string? TryRecoverPublicKey(ReadOnlySpan<byte> signature65, ReadOnlySpan<byte> hash32)
    {
        if (signature65.Length != 65 || signature65[64] > 3)
        {
            return null;
        }

        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(signature65[..64], signature65[64], out var signature)
            || !ECPubKey.TryRecover(Context.Instance, signature, hash32, out var publicKey))
        {
            return null;
        }

        return Convert.ToHexStringLower(publicKey.ToBytes(compressed: true));
    }

    /// <summary>Verifies the 64-byte compact signature of hash32 against a compressed public key (hex).</summary>
    public static bool Verify(ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> hash32, string publicKeyHex)
    {
        byte[] publicKeyBytes;
        try
        {
            publicKeyBytes = Convert.FromHexString(publicKeyHex);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!ECPubKey.TryCreate(publicKeyBytes, Context.Instance, out _, out var publicKey)
            || !SecpECDSASignature.TryCreateFromCompact(signature64, out var signature))
        {
            return false;
        }

        return publicKey.SigVerify(signature, hash32);
    }
}
