using System.Globalization;
using System.Text;
using LnbitsMcp.Server.Payments;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// The wallet form's fields and buttons (CONTRACT §8 names), shared by the connect page and the page that
/// configures an MCP session. Every value is encoded; secret fields are never filled back in.
/// </summary>
public static class WalletFormFields
{
    public static void Append(StringBuilder html, ConnectForm input, IReadOnlyList<(string Id, string Name)>? wallets, PaymentOptions limits, bool readOnlyBox)
    {
        html.Append(CultureInfo.InvariantCulture, $"""
            <fieldset><legend>LNbits wallet</legend>
            <label for="lnbits_url">LNbits URL</label>
            <input id="lnbits_url" name="lnbits_url" type="url" placeholder="https://your-lnbits.example" value="{PageShell.Encode(input.LnbitsUrl)}">
            <label for="auth_method">How to sign in</label>
            <select id="auth_method" name="auth_method">
            {Option("api_key_header", "Wallet key (X-Api-Key header)", input.AuthMethod)}
            {Option("api_key_query", "Wallet key (api-key in the query)", input.AuthMethod)}
            {Option("bearer", "LNbits user access token", input.AuthMethod)}
            {Option("oauth2", "LNbits username and password", input.AuthMethod)}
            </select>
            <label for="api_key">Wallet key (admin key to pay, invoice key to read only)</label>
            <input id="api_key" name="api_key" type="password" autocomplete="off">
            <label for="bearer_token">LNbits access token (for the token method)</label>
            <input id="bearer_token" name="bearer_token" type="password" autocomplete="off">
            <label for="username">LNbits username (for username and password)</label>
            <input id="username" name="username" type="text" autocomplete="username" value="{PageShell.Encode(input.Username)}">
            <label for="password">LNbits password</label>
            <input id="password" name="password" type="password" autocomplete="current-password">
            """);
        if (wallets is { Count: > 0 })
        {
            html.Append("""<label for="wallet_id">Wallet</label><select id="wallet_id" name="wallet_id">""");
            foreach (var (id, name) in wallets)
            {
                html.Append(Option(id, name, input.WalletId));
            }

            html.Append("</select>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <label for="wallet_id">Wallet id (token methods; empty = the first wallet)</label>
                <input id="wallet_id" name="wallet_id" type="text" value="{PageShell.Encode(input.WalletId)}">
                """);
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            </fieldset>
            <fieldset><legend>Limits for this connection (empty = the server's)</legend>
            <label for="max_payment_sats">Largest single payment, sats (server: {limits.MaxPaymentSats})</label>
            <input id="max_payment_sats" name="max_payment_sats" type="number" min="0" inputmode="numeric" value="{PageShell.Encode(input.MaxPaymentSats)}">
            <label for="daily_budget_sats">Budget per 24 hours, sats (server: {limits.DailyBudgetSats})</label>
            <input id="daily_budget_sats" name="daily_budget_sats" type="number" min="0" inputmode="numeric" value="{PageShell.Encode(input.DailyBudgetSats)}">
            <label for="confirm_above_sats">Ask me before paying more than, sats (server: {limits.ConfirmAboveSats})</label>
            <input id="confirm_above_sats" name="confirm_above_sats" type="number" min="0" inputmode="numeric" value="{PageShell.Encode(input.ConfirmAboveSats)}">
            <label for="allow_payees">Only pay these (one per line: node public key, Lightning Address or domain, https origin; empty = anyone)</label>
            <textarea id="allow_payees" name="allow_payees" rows="2">{PageShell.Encode(input.AllowPayees)}</textarea>
            <label for="deny_payees">Never pay these (one per line)</label>
            <textarea id="deny_payees" name="deny_payees" rows="2">{PageShell.Encode(input.DenyPayees)}</textarea>
            {(readOnlyBox ? ReadOnlyBox(input) : string.Empty)}
            <p class="note">Limits above the server's are capped at the server's; the server's own payee rules apply as well.</p>
            </fieldset>
            <button class="primary" type="submit" name="action" value="allow">Allow</button>
            <button type="submit" name="action" value="deny">Deny</button>
            </form>
            """);
    }

    private static string ReadOnlyBox(ConnectForm input) =>
        $"""<p class="check"><input id="read_only" name="read_only" type="checkbox" value="on"{(input.ReadOnly ? " checked" : string.Empty)}><label for="read_only">Read-only: this app may never pay</label></p>""";

    private static string Option(string value, string label, string? selected) =>
        $"""<option value="{PageShell.Encode(value)}"{(string.Equals(value, selected, StringComparison.Ordinal) ? " selected" : string.Empty)}>{PageShell.Encode(label)}</option>""";
}
