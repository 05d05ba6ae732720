using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.Testing;

/// <summary>Formatted log lines of one host: a logger provider that keeps every line it is given.</summary>
/// <param name="withSource">each line starts with its time, level and category (for a failure message)</param>
public sealed class CapturedLogs(bool withSource = false) : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    private bool WithSource => withSource;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue(owner.WithSource
                ? $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " (" + exception.GetType().Name + ": " + exception.Message + ")")}"
                : formatter(state, exception));
    }
}
