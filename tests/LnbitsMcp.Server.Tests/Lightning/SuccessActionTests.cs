using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>LUD-09/LUD-10 success actions.</summary>
public sealed class SuccessActionTests
{
    private static readonly Uri Callback = new("https://example.com/lnurlp/cb/alice");

    [Fact]
    public void ParsesAMessage()
    {
        var action = Parse("""{"tag":"message","message":"Thanks!"}""");

        Assert.Equal("message", action!.Tag);
        Assert.Equal("Thanks!", action.Message);
    }

    [Fact]
    public void ParsesAUrlOnTheCallbackHost()
    {
        var action = Parse("""{"tag":"url","description":"Your order","url":"https://EXAMPLE.com/orders/1"}""");

        Assert.Equal(new Uri("https://example.com/orders/1"), action!.Url);
        Assert.Equal("Your order", action.Description);
    }

    [Fact]
    public void TreatsNullAsNoAction()
    {
        Assert.Null(Parse("null"));
    }

    [Theory]
    [InlineData("{\"tag\":\"message\",\"message\":\"" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234" + "\"}", "successAction message must be a string of at most 144 characters")]
    [InlineData("{\"tag\":\"message\"}", "successAction message must be a string of at most 144 characters")]
    [InlineData("{\"tag\":\"url\",\"description\":\"x\",\"url\":\"https://evil.example/phish\"}", "successAction url is not on the callback's domain")]
    [InlineData("{\"tag\":\"url\",\"description\":\"x\",\"url\":\"https://example.com.evil.example/\"}", "successAction url is not on the callback's domain")]
    [InlineData("{\"tag\":\"url\",\"description\":\"x\",\"url\":\"javascript:alert(1)\"}", "successAction url is not an absolute http(s) URL")]
    [InlineData("{\"tag\":\"url\",\"url\":\"https://example.com/\"}", "successAction description must be a string of at most 144 characters")]
    [InlineData("{\"tag\":\"aes\",\"description\":\"x\",\"ciphertext\":\"not base64!\",\"iv\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}", "successAction ciphertext must be base64 AES blocks of at most 4 kB")]
    [InlineData("{\"tag\":\"aes\",\"description\":\"x\",\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"iv\":\"AAAA\"}", "successAction iv must be 16 bytes in base64")]
    [InlineData("{\"tag\":\"launch_missiles\"}", "unsupported successAction tag 'launch_missiles'")]
    [InlineData("{}", "unsupported successAction tag '(none)'")]
    [InlineData("\"message\"", "successAction is not a JSON object")]
    public void RejectsInvalidOrUnknownActions(string json, string expectedError)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(SuccessAction.TryParse(document.RootElement, Callback, out var action, out var error));
        Assert.Null(action);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void DecryptsAnAesActionWithThePreimage()
    {
        var preimage = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = preimage;
        var ciphertext = aes.EncryptCbc(Encoding.UTF8.GetBytes("voucher: 1234-5678"), iv, PaddingMode.PKCS7);
        var json = JsonSerializer.Serialize(new
        {
            tag = "aes",
            description = "Your voucher",
            ciphertext = Convert.ToBase64String(ciphertext),
            iv = Convert.ToBase64String(iv),
        });

        var action = Parse(json)!;

        Assert.True(action.TryDecrypt(Convert.ToHexStringLower(preimage), out var plaintext, out var error), error);
        Assert.Equal("voucher: 1234-5678", plaintext);
        Assert.False(action.TryDecrypt("zz", out _, out var notHex));
        Assert.Equal("preimage is not hex", notHex);
    }

    private static SuccessAction? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(SuccessAction.TryParse(document.RootElement, Callback, out var action, out var error), error);
        return action;
    }
}
