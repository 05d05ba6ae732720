namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>BOLT11 tagged-field types (their 5-bit values) and the feature bits the sandbox sets.</summary>
internal static class Bolt11Tags
{
    public const byte PaymentHash = 1; // p
    public const byte RouteHint = 3; // r
    public const byte Features = 5; // 9
    public const byte Expiry = 6; // x
    public const byte Fallback = 9; // f
    public const byte Description = 13; // d
    public const byte PaymentSecret = 16; // s
    public const byte Payee = 19; // n
    public const byte DescriptionHash = 23; // h
    public const byte MinFinalCltvExpiry = 24; // c
    public const byte Metadata = 27; // m

    /// <summary>var_onion_optin (required, bit 8) and payment_secret (required, bit 14).</summary>
    public static readonly int[] SandboxFeatureBits = [8, 14];

    /// <summary>Feature names of the bolt11 library LNbits uses, indexed by bit / 2.</summary>
    public static readonly string[] FeatureNames =
    [
        "option_data_loss_protect", "initial_routing_sync", "option_upfront_shutdown_script", "gossip_queries",
        "var_onion_optin", "gossip_queries_ex", "option_static_remotekey", "payment_secret", "basic_mpp",
        "option_support_large_channel", "option_anchor_outputs", "option_anchors_zero_fee_htlc_tx",
        "option_route_blinding", "option_shutdown_anysegwit", "option_channel_type", "option_scid_alias",
        "option_payment_metadata", "option_zeroconf",
    ];
}
