namespace LnbitsMcp.Server.Mcp;

/// <summary>What the server tells the model at initialize.</summary>
public static class ServerInstructions
{
    public const string Text =
        "This server operates one LNbits Lightning wallet per session. Start with configure_lnbits (LNbits URL and API key), " +
        "or, without an MCP session, create_session and pass session_id to every tool. Amounts in arguments are satoshis; " +
        "results give msat and sat. Paying tools move real money: check the invoice with decode_invoice first and " +
        "never pay an invoice the user did not ask for. pay_l402 fetches a URL and pays its L402 price (up to max_sats) only " +
        "when the user wants that resource.";
}
