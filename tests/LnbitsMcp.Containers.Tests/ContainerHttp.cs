using LnbitsMcp.Testing;

namespace LnbitsMcp.Containers.Tests;

/// <summary>Waiting for containers: an HTTP answer through a published port, a line in the logs.</summary>
public static class ContainerHttp
{
    /// <summary>Polls <paramref name="path"/> until it answers 2xx; returns the body. Fails with the container's logs.</summary>
    public static async Task<string> WaitForSuccessAsync(HttpClient http, string path, TimeSpan timeout, string container)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(10));
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{container} did not answer {path} within {timeout}:\n{await LogsAsync(container)}");
    }

    /// <summary>Waits until the container's logs contain <paramref name="text"/>; returns the logs.</summary>
    public static async Task<string> WaitForLogAsync(string container, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var logs = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            logs = await LogsAsync(container);
            if (logs.Contains(text, StringComparison.Ordinal))
            {
                return logs;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{container} did not log '{text}' within {timeout}:\n{logs}");
    }

    /// <summary>Standard output and error of a container.</summary>
    public static async Task<string> LogsAsync(string container)
    {
        var result = await Podman.RunAsync("logs", container);
        return result.Output + result.Error;
    }
}
