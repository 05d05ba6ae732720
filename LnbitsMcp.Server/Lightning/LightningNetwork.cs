namespace LnbitsMcp.Server.Lightning;

/// <summary>The Bitcoin network an invoice is for, from the BOLT 11 currency prefix.</summary>
public enum LightningNetwork
{
    /// <summary><c>lnbc</c>.</summary>
    Bitcoin,

    /// <summary><c>lntb</c>.</summary>
    Testnet,

    /// <summary><c>lntbs</c>.</summary>
    Signet,

    /// <summary><c>lnbcrt</c>.</summary>
    Regtest,

    /// <summary><c>lnsb</c>.</summary>
    Simnet,
}

/// <summary>Names, prefixes and address parameters of <see cref="LightningNetwork"/>.</summary>
public static class LightningNetworks
{
    // Longest prefix first: "bcrt" before "bc", "tbs" before "tb".
    private static readonly (string Prefix, LightningNetwork Network)[] CurrencyPrefixes =
    [
        ("bcrt", LightningNetwork.Regtest),
        ("tbs", LightningNetwork.Signet),
        ("bc", LightningNetwork.Bitcoin),
        ("tb", LightningNetwork.Testnet),
        ("sb", LightningNetwork.Simnet),
    ];

    /// <summary>The lowercase name used in tool output: <c>bitcoin</c>, <c>testnet</c>, <c>signet</c>, <c>regtest</c>, <c>simnet</c>.</summary>
    public static string ToName(this LightningNetwork network) => network switch
    {
        LightningNetwork.Bitcoin => "bitcoin",
        LightningNetwork.Testnet => "testnet",
        LightningNetwork.Signet => "signet",
        LightningNetwork.Regtest => "regtest",
        LightningNetwork.Simnet => "simnet",
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    /// <summary>The BIP-173 currency prefix (<c>bc</c>, <c>tb</c>, <c>tbs</c>, <c>bcrt</c>, <c>sb</c>).</summary>
    public static string CurrencyPrefix(this LightningNetwork network) => network switch
    {
        LightningNetwork.Bitcoin => "bc",
        LightningNetwork.Testnet => "tb",
        LightningNetwork.Signet => "tbs",
        LightningNetwork.Regtest => "bcrt",
        LightningNetwork.Simnet => "sb",
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    /// <summary>The invoice prefix, <c>ln</c> + currency.</summary>
    public static string InvoicePrefix(this LightningNetwork network) => "ln" + network.CurrencyPrefix();

    /// <summary>The human-readable part of on-chain segwit addresses (signet shares testnet's <c>tb</c>).</summary>
    public static string SegwitHrp(this LightningNetwork network) => network switch
    {
        LightningNetwork.Bitcoin => "bc",
        LightningNetwork.Testnet or LightningNetwork.Signet => "tb",
        LightningNetwork.Regtest => "bcrt",
        LightningNetwork.Simnet => "sb",
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    /// <summary>The Base58Check version byte of P2PKH addresses.</summary>
    public static byte P2pkhVersion(this LightningNetwork network) => network switch
    {
        LightningNetwork.Bitcoin => 0x00,
        LightningNetwork.Simnet => 0x3f,
        _ => 0x6f,
    };

    /// <summary>The Base58Check version byte of P2SH addresses.</summary>
    public static byte P2shVersion(this LightningNetwork network) => network switch
    {
        LightningNetwork.Bitcoin => 0x05,
        LightningNetwork.Simnet => 0x7b,
        _ => 0xc4,
    };

    /// <summary>
    /// Matches the currency at the start of <paramref name="afterLn"/> (the HRP without its <c>ln</c>),
    /// longest prefix first, and gives the number of characters it used.
    /// </summary>
    public static bool TryMatchCurrencyPrefix(string afterLn, out LightningNetwork network, out int length)
    {
        foreach (var (prefix, candidate) in CurrencyPrefixes)
        {
            if (afterLn.StartsWith(prefix, StringComparison.Ordinal))
            {
                network = candidate;
                length = prefix.Length;
                return true;
            }
        }

        network = default;
        length = 0;
        return false;
    }

    /// <summary>Parses a name from <see cref="ToName"/> (case-insensitive).</summary>
    public static bool TryParseName(string? name, out LightningNetwork network)
    {
        foreach (var candidate in Enum.GetValues<LightningNetwork>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                network = candidate;
                return true;
            }
        }

        network = default;
        return false;
    }
}
