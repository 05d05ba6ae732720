using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every logger of the process (console, OpenTelemetry, any provider, the service's lines and the
/// libraries') hands its providers a scrubbed copy of the log state: attributes named like secrets
/// masked (<see cref="SecretNames"/>), the formatted message and every text value scrubbed with the
/// service's scrub function, exception text too.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, Func<string, string> scrub) : ILoggerFactory
{
    /// <summary>Wraps the host's logger factory so that no provider sees an unredacted line.</summary>
    public static void AddTo(IServiceCollection services, Func<string, string> scrub) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new RedactingLoggerFactory(new LoggerFactory(
            provider.GetServices<ILoggerProvider>(),
            provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            provider.GetService<IOptions<LoggerFactoryOptions>>(),
            provider.GetService<IExternalScopeProvider>()), scrub)));

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), scrub);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, Func<string, string> scrub) : ILogger
    {
        /// <summary>
        /// Scopes are scrubbed when a provider reads them (at export, not now): a secret in a request path (an
        /// approval or session link page) is registered while that request runs, after the host opened its scope.
        /// </summary>
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            inner.BeginScope(new RedactedScope(state, scrub));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var attributes = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "{OriginalFormat}")
                    {
                        attributes.Add(KeyValuePair.Create(key, value));
                        continue;
                    }

                    if (SecretNames.IsSecretTelemetryName(key) && value?.ToString() is { Length: > 0 } raw)
                    {
                        message = message.Replace(raw, SecretNames.Mask, StringComparison.Ordinal);
                    }

                    attributes.Add(KeyValuePair.Create(key, SecretNames.ScrubValue(key, value, scrub)));
                }
            }

            var redacted = new RedactedState(scrub(message), attributes);
            inner.Log(logLevel, eventId, redacted, RedactedException.Of(exception, scrub), static (s, _) => s.Message);
        }
    }

    /// <summary>The scrubbed state: structured values for providers that read them, the scrubbed message for the rest.</summary>
    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}

/// <summary>A log scope whose values and text are scrubbed each time a provider reads them.</summary>
internal sealed class RedactedScope(object state, Func<string, string> scrub)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    private IReadOnlyList<KeyValuePair<string, object?>> Values =>
        [.. (state as IEnumerable<KeyValuePair<string, object?>> ?? []).Select(pair => KeyValuePair.Create(pair.Key, SecretNames.ScrubValue(pair.Key, pair.Value, scrub)))];

    public int Count => Values.Count;

    public KeyValuePair<string, object?> this[int index] => Values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => state.ToString() is { } value ? scrub(value) : string.Empty;
}

/// <summary>An exception whose text had to be scrubbed: its type name and scrubbed message, no stack or inner text.</summary>
public sealed class RedactedException(string type, string message) : Exception($"{type}: {message}")
{
    public static Exception? Of(Exception? exception, Func<string, string> scrub)
    {
        if (exception is null or RedactedException)
        {
            return exception;
        }

        var text = exception.ToString();
        return scrub(text) == text
            ? exception
            : new RedactedException(exception.GetType().FullName ?? "Exception", scrub(exception.Message));
    }
}
