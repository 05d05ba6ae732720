// The official TypeScript MCP SDK client's OAuth support against our server: 401 → metadata → registration
// (dynamic, or a client metadata document when a URL is given) → authorization URL → code → finishAuth → tools.
// Usage: node ts-oauth-client.mjs <mcp-url> <redirect-url> [client-metadata-url]
// Prints {"authorize": "<url>"} on one line, reads the authorization code from stdin, then prints
// {"result": {...}} with what the tools answered; exits 1 on any failure.
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";

const [url, redirect, metadataUrl] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once("line", resolve));
let information, tokens, verifier;
const provider = {
  get redirectUrl() { return redirect; },
  clientMetadataUrl: metadataUrl,
  get clientMetadata() {
    return {
      client_name: "TypeScript SDK client",
      redirect_uris: [redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  },
  clientInformation() { return information; },
  saveClientInformation(value) { information = value; },
  tokens() { return tokens; },
  saveTokens(value) { tokens = value; },
  redirectToAuthorization(authorizationUrl) { console.log(JSON.stringify({ authorize: authorizationUrl.href })); },
  saveCodeVerifier(value) { verifier = value; },
  codeVerifier() { return verifier; },
};

const timeout = setTimeout(() => { console.error("timed out"); process.exit(1); }, 80_000);
try {
  const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  let unauthorized = false;
  try {
    await new Client({ name: "lnbits-mcp-e2e-oauth", version: "1.0.0" }).connect(first);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    unauthorized = true;
  }
  const code = await nextLine();
  await first.finishAuth(code);
  const client = new Client({ name: "lnbits-mcp-e2e-oauth", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  const call = async (name, args = {}) => {
    const result = await client.callTool({ name, arguments: args });
    return { isError: result.isError === true, structured: result.structuredContent };
  };
  const result = {
    unauthorized,
    registered_client_id: information?.client_id,
    scope: tokens?.scope,
    has_refresh_token: typeof tokens?.refresh_token === "string",
    info: await call("get_session_info"),
    balance: await call("get_wallet_balance"),
  };
  console.log(JSON.stringify({ result }));
  await client.close();
  clearTimeout(timeout);
  process.exit(0);
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exit(1);
}
