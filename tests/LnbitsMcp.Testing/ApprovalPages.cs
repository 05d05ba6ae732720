using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace LnbitsMcp.Testing;

/// <summary>
/// The payment approval page (<c>/approve/{id}</c>) driven by plain HTTP with a cookie jar, as a person with a
/// browser would: GET the page, post its form with its anti-forgery token. For tests whose subject is not the
/// page itself (the browser tests drive it with Chromium).
/// </summary>
public static partial class ApprovalPages
{
    /// <summary>The approval's page from a <c>confirmation_required</c> error object.</summary>
    public static Uri Url(JsonElement error) => new(error.GetProperty("approval_url").GetString()!);

    /// <summary>Opens the page and clicks <paramref name="action"/> (<c>approve</c> or <c>decline</c>); returns the answer.</summary>
    public static async Task<HttpResponseMessage> DecideAsync(Uri approvalUrl, string action = "approve")
    {
        using var person = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var page = await person.GetStringAsync(approvalUrl);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the approval page has an anti-forgery token");
        return await person.PostAsync(approvalUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["action"] = action,
        }));
    }

    /// <summary>Approves (or declines) and checks that the page took the decision.</summary>
    public static async Task DecideOkAsync(Uri approvalUrl, string action = "approve")
    {
        using var answer = await DecideAsync(approvalUrl, action);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
