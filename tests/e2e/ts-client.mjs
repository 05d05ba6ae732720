// A scenario run with the official TypeScript MCP SDK client against our server or edge.
// Usage: node ts-client.mjs <mcp-or-sse-url> <streamable|sse> <lnbits-url> <admin-key>
// Prints one JSON object with what it saw; exits 1 on any failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";

const [url, mode, lnbitsUrl, adminKey] = process.argv.slice(2);
const transport = mode === "sse" ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));
const client = new Client({ name: "lnbits-mcp-e2e", version: "1.0.0" });

const timeout = setTimeout(() => { console.error("timed out"); process.exit(1); }, 60_000);
try {
  await client.connect(transport);
  const tools = await client.listTools();
  const call = async (name, args = {}) => {
    // callTool validates structuredContent against each tool's outputSchema, errors included.
    const result = await client.callTool({ name, arguments: args });
    return { isError: result.isError === true, structured: result.structuredContent, content: result.content };
  };
  const info = await call("get_session_info");
  const configured = await call("configure_lnbits", { lnbits_url: lnbitsUrl, api_key: adminKey });
  const balance = await call("get_wallet_balance");
  const invoice = await call("create_invoice", { amount: 21, memo: "from typescript" });
  const decoded = await call("decode_invoice", { bolt11: invoice.structured.bolt11 });
  const badArgument = await call("get_payments", { limit: "many" });
  const ownInvoicePaid = await call("pay_invoice", { bolt11: invoice.structured.bolt11, dry_run: true });
  // Every other tool once: the client validates each result (and each error) against its outputSchema.
  const others = {};
  for (const [name, args] of [
    ["create_session", {}],
    ["get_lnbits_configuration", {}],
    ["test_lnbits_configuration", {}],
    ["check_connection", {}],
    ["get_wallet_details", {}],
    ["get_payments", { limit: 5 }],
    ["get_payment_status", { payment_hash: invoice.structured.payment_hash }],
    ["wait_for_payment", { payment_hash: invoice.structured.payment_hash, timeout_seconds: 1 }],
    ["pay_lightning_address", { lightning_address: "nobody@127.0.0.1:1", amount_sats: 1, dry_run: true }],
    ["pay_l402", { url: new URL("sandbox/l402/typescript", lnbitsUrl).href, max_sats: 10, dry_run: true }],
    ["set_payment_limits", { deny_payees: ["*.nowhere.example"] }],
    ["decode_invoice", { bolt11: "lnbc1garbage" }],
  ]) {
    const result = await call(name, args);
    others[name] = result.isError ? result.structured.error.code : "ok";
  }
  console.log(JSON.stringify({
    sessionId: transport.sessionId ?? null,
    toolNames: tools.tools.map(t => t.name),
    info: info.structured,
    configured: configured.structured,
    balance: balance.structured,
    invoice: invoice.structured,
    imageTypes: invoice.content.filter(c => c.type === "image").map(c => c.mimeType),
    decoded: decoded.structured,
    badArgument,
    dryRun: ownInvoicePaid.structured,
    others,
  }));
  await client.close();
  clearTimeout(timeout);
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exit(1);
}
