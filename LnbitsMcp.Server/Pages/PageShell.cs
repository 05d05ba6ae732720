using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace LnbitsMcp.Server.Pages;

/// <summary>
/// The frame every page a person sees shares (connect page, connections, payment approval): one inline
/// stylesheet allowed by its hash, no script, no third-party asset, and a strict Content-Security-Policy
/// (<c>default-src 'none'</c>; forms only to this server, plus the OAuth client's redirect origin where a form
/// ends in that redirect; no framing). Every value placed in a page goes through <see cref="Encode"/>.
/// </summary>
public static class PageShell
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fafafa;line-height:1.45}
        h1{font-size:1.5rem}fieldset{border:1px solid #ccc;border-radius:.4rem;margin:1rem 0;padding:.75rem 1rem}
        label{display:block;margin:.6rem 0 .2rem;font-weight:600}input,select,textarea{width:100%;padding:.45rem;box-sizing:border-box;font-size:1rem}
        input[type=checkbox]{width:auto}.check label{display:inline;font-weight:400}
        button{font-size:1rem;padding:.55rem 1.2rem;margin:.8rem .6rem 0 0;border-radius:.4rem;border:1px solid #555;cursor:pointer}
        button.primary{background:#5b2ecc;color:#fff;border-color:#5b2ecc}.error{background:#fde8e8;border:1px solid #d33;padding:.6rem;border-radius:.4rem}
        .note{color:#555;font-size:.92rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
        code{background:#eee;padding:0 .2rem}
        """;

    private static readonly string s_styleHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    /// <summary>A complete page with its security headers.</summary>
    /// <param name="formTargets">Origins a form on this page may end up at besides this server (an OAuth client's redirect).</param>
    public static IResult Render(HttpContext context, string title, string body, int statusCode = StatusCodes.Status200OK, IEnumerable<string>? formTargets = null)
    {
        var headers = context.Response.Headers;
        var formAction = string.Join(' ', new[] { "'self'" }.Concat(formTargets ?? []));
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src '{s_styleHash}'; img-src 'self'; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin"; // not no-referrer: Chromium then sends "Origin: null" on our own form posts
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)}</title><style>{Style}</style></head>
            <body><main>
            {body}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>A page that explains a refusal; nothing on it redirects anywhere.</summary>
    public static IResult Error(HttpContext context, string title, string message, int statusCode = StatusCodes.Status400BadRequest) =>
        Render(context, title, $"""<h1>{Encode(title)}</h1><p class="error" role="alert">{Encode(message)}</p>""", statusCode);

    /// <summary>The origin (scheme://host:port) of a URL, for the CSP form-action list.</summary>
    public static string? Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;
}
