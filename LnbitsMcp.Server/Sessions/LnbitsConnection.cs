namespace LnbitsMcp.Server.Sessions;

/// <summary>The LNbits wallet a tool call uses and where its configuration came from.</summary>
/// <param name="Source"><c>session</c>, <c>headers</c> or <c>operator</c> (CONTRACT §5 get_lnbits_configuration).</param>
/// <param name="LedgerKey">Whose payment bookkeeping (paid hashes, budgets) applies: the session key, or a hash of the header credentials.</param>
public sealed record LnbitsConnection(LnbitsSettings Settings, string Source, AppSession? Session, string LedgerKey)
{
    public const string SessionSource = "session";
    public const string HeadersSource = "headers";
    public const string OperatorSource = "operator";
}
