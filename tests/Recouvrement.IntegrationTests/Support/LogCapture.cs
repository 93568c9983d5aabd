using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Recouvrement.Tests.Support;

/// <summary>
/// A logging provider that keeps everything any provider could write: the category, the formatted message, every
/// structured value, every scope (as a JSON console with scopes on prints them) and the exception with its stack.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void AppendValues(StringBuilder line, object? state)
    {
        line.Append(" | ").Append(state);
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                line.Append(" | ").Append(key).Append('=').Append(value);
            }
        }
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            AppendValues(line, state);
            capture._scopes.ForEachScope((scope, l) => AppendValues(l.Append(" | scope"), scope), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            capture._lines.Enqueue(line.ToString());
        }
    }
}
