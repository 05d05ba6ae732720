namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// Feature names for the BOLT 11 <c>9</c> field, from the BOLT 9 table (lightning/bolts 09-features.md).
/// Bits come in pairs: the even bit means required, the odd bit optional; a pair is named by its even bit.
/// <list type="table">
/// <item><term>0/1</term><description><c>option_data_loss_protect</c></description></item>
/// <item><term>4/5</term><description><c>option_upfront_shutdown_script</c></description></item>
/// <item><term>6/7</term><description><c>gossip_queries</c></description></item>
/// <item><term>8/9</term><description><c>var_onion_optin</c></description></item>
/// <item><term>10/11</term><description><c>gossip_queries_ex</c></description></item>
/// <item><term>12/13</term><description><c>option_static_remotekey</c></description></item>
/// <item><term>14/15</term><description><c>payment_secret</c></description></item>
/// <item><term>16/17</term><description><c>basic_mpp</c> (depends on <c>payment_secret</c>)</description></item>
/// <item><term>18/19</term><description><c>option_support_large_channel</c></description></item>
/// <item><term>22/23</term><description><c>option_anchors</c></description></item>
/// <item><term>24/25</term><description><c>option_route_blinding</c></description></item>
/// <item><term>26/27</term><description><c>option_shutdown_anysegwit</c></description></item>
/// <item><term>28/29</term><description><c>option_dual_fund</c></description></item>
/// <item><term>34/35</term><description><c>option_quiesce</c></description></item>
/// <item><term>36/37</term><description><c>option_attribution_data</c></description></item>
/// <item><term>38/39</term><description><c>option_onion_messages</c></description></item>
/// <item><term>42/43</term><description><c>option_provide_storage</c></description></item>
/// <item><term>44/45</term><description><c>option_channel_type</c></description></item>
/// <item><term>46/47</term><description><c>option_scid_alias</c></description></item>
/// <item><term>48/49</term><description><c>option_payment_metadata</c></description></item>
/// <item><term>50/51</term><description><c>option_zeroconf</c></description></item>
/// <item><term>60/61</term><description><c>option_simple_close</c></description></item>
/// <item><term>62/63</term><description><c>option_splice</c></description></item>
/// </list>
/// Any other bit is <c>unknown_&lt;bit&gt;</c>. Per BOLT 11 an unknown odd bit is ignored (listed, optional)
/// and an unknown even bit makes the invoice unpayable (the decoder fails).
/// </summary>
public static class Bolt11Features
{
    private static readonly Dictionary<int, string> NamesByEvenBit = new()
    {
        [0] = "option_data_loss_protect",
        [4] = "option_upfront_shutdown_script",
        [6] = "gossip_queries",
        [8] = "var_onion_optin",
        [10] = "gossip_queries_ex",
        [12] = "option_static_remotekey",
        [14] = "payment_secret",
        [16] = "basic_mpp",
        [18] = "option_support_large_channel",
        [22] = "option_anchors",
        [24] = "option_route_blinding",
        [26] = "option_shutdown_anysegwit",
        [28] = "option_dual_fund",
        [34] = "option_quiesce",
        [36] = "option_attribution_data",
        [38] = "option_onion_messages",
        [42] = "option_provide_storage",
        [44] = "option_channel_type",
        [46] = "option_scid_alias",
        [48] = "option_payment_metadata",
        [50] = "option_zeroconf",
        [60] = "option_simple_close",
        [62] = "option_splice",
    };

    /// <summary>True when the bit pair of <paramref name="bit"/> has a BOLT 9 name.</summary>
    public static bool IsKnown(int bit) => NamesByEvenBit.ContainsKey(bit & ~1);

    /// <summary>The BOLT 9 name of <paramref name="bit"/>'s pair, or <c>unknown_&lt;bit&gt;</c>.</summary>
    public static string NameOf(int bit) =>
        NamesByEvenBit.TryGetValue(bit & ~1, out var name) ? name : $"unknown_{bit}";
}
