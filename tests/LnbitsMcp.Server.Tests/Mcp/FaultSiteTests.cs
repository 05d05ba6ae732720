using System.Security.Cryptography;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tests.Mcp;

/// <summary>What the log says about a fault of ours: its type, where it was thrown, its innermost cause; never its message.</summary>
public sealed class FaultSiteTests
{
    [Fact]
    public async Task AFaultOfAnAsyncMethodNamesTheMethodNotItsStateMachine()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Thrower.FailLaterAsync("secret-input-123"));
        Assert.Equal("InvalidOperationException in Thrower.FailLaterAsync", FaultSite.Of(error));
    }

    [Fact]
    public void AFaultOfASynchronousMethodNamesIt()
    {
        var error = Assert.Throws<FormatException>(() => Thrower.FailNow("secret-input-123"));
        Assert.Equal("FormatException in Thrower.FailNow", FaultSite.Of(error));
    }

    [Fact]
    public void AWrappedFaultNamesItsInnermostCause()
    {
        var error = Assert.Throws<CryptographicException>(() => Thrower.FailWrapped());
        Assert.Equal("CryptographicException in Thrower.FailWrapped (inner TimeoutException)", FaultSite.Of(error));
    }

    [Fact]
    public void AFaultNeverThrownHasNoSite() =>
        Assert.Equal("ArgumentException in an unknown method", FaultSite.Of(new ArgumentException("secret-input-123")));

    private static class Thrower
    {
        public static async Task FailLaterAsync(string input)
        {
            await Task.Yield();
            throw new InvalidOperationException(input);
        }

        public static void FailNow(string input) => throw new FormatException(input);

        public static void FailWrapped()
        {
            try
            {
                throw new TimeoutException("secret-input-123");
            }
            catch (TimeoutException inner)
            {
                throw new CryptographicException("wrapped", inner);
            }
        }
    }
}
