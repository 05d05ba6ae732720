using System.Diagnostics;
using System.Text.Json;

namespace LnbitsMcp.Testing;

/// <summary>
/// Runs the official TypeScript MCP SDK client's OAuth flow (<c>tests/e2e/ts-oauth-client.mjs</c>): the script
/// prints the authorization URL, <paramref name="authorize"/> plays the person (returns the code from the
/// redirect), the script finishes with <c>finishAuth</c> and reports what the tools answered.
/// </summary>
public static class TypeScriptOAuthClient
{
    public static async Task<JsonElement> RunAsync(Uri mcpUrl, string redirectUri, string? clientMetadataUrl, Func<Uri, Task<string>> authorize)
    {
        var start = TypeScriptClient.NodeStart("ts-oauth-client.mjs", new[] { mcpUrl.AbsoluteUri, redirectUri, clientMetadataUrl ?? string.Empty }.Where(a => a.Length > 0));
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException($"the TypeScript client printed no authorization URL:\n{await stderr}");
            using (var line = JsonDocument.Parse(first))
            {
                var code = await authorize(new Uri(line.RootElement.GetProperty("authorize").GetString()!));
                await process.StandardInput.WriteLineAsync(code);
                await process.StandardInput.FlushAsync();
            }

            var rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"the TypeScript client failed ({process.ExitCode}):\n{await stderr}\n{rest}");
            }

            using var document = JsonDocument.Parse(rest.Trim().Split('\n')[^1]);
            return document.RootElement.GetProperty("result").Clone();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
