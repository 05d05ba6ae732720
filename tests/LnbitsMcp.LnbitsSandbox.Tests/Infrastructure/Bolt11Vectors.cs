namespace LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;

/// <summary>Test vectors of the BOLT #11 specification (lightning/bolts, 11-payment-encoding.md).</summary>
public static class Bolt11Vectors
{
    /// <summary>"Please send $3 for a cup of coffee to the same peer, within one minute" (2500u, expiry 60).</summary>
    public const string SpecCoffee =
        "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    public const string SpecPayee = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad";

    public const string SpecPaymentHash = "0001020304050607080900010203040506070809000102030405060708090102";
}
