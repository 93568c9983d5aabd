using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Recouvrement.Api.Hosting;

/// <summary>
/// Keeps payment-link tokens out of logs and traces. The token in <c>/p/{token}</c> is the only key to a debtor's
/// page, and the framework puts request paths everywhere: the hosting log's "Request starting" and "Request
/// finished" lines, the request scope every log inside a request carries, the router's debug lines, redirect logs,
/// the server span's <c>url.path</c>. Rather than pin each of those categories to a level (an operator who sets
/// <c>Logging:LogLevel:Default=Trace</c> would bring them back, and a category we did not know of would leak), every
/// logger and every exported span goes through <see cref="Redact"/>.
/// </summary>
public static partial class TokenRedaction
{
    public const string Placeholder = "{token}";

    /// <summary>
    /// What follows <c>/p/</c> up to the end of the path segment, and anything shaped like a token on its own
    /// (<c>base64url(payload).base64url(32-byte HMAC)</c>), for the token as a route value or inside an encoded URL.
    /// </summary>
    [GeneratedRegex(@"(?<=/p/)[^/?#\s'""<>&|]+|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <summary>The text with every token replaced by <c>{token}</c>; the same instance when there is none.</summary>
    public static string Redact(string text) => Token().Replace(text, Placeholder);

    /// <summary>Wraps the host's logger factory so that every logger, whatever its category and level, redacts.</summary>
    public static IServiceCollection AddTokenRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    /// <summary>A value as a provider would print it, redacted; the value itself when it carries no token.</summary>
    internal static object? Redact(object? value)
    {
        switch (value)
        {
            case null or bool or char or sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal
                or DateTime or DateTimeOffset or TimeSpan or Guid or Enum:
                return value;
            case string text:
                return Redact(text);
            default:
                var shown = Convert.ToString(value, CultureInfo.InvariantCulture);
                return shown is null || ReferenceEquals(Redact(shown), shown) ? value : Redact(shown);
        }
    }

    internal static Exception? Redact(Exception? exception)
    {
        if (exception is null)
        {
            return null;
        }

        var shown = exception.ToString();
        var redacted = Redact(shown);
        return ReferenceEquals(redacted, shown) ? exception : new RedactedException(exception.GetType().FullName, Redact(exception.Message), redacted);
    }
}

/// <summary>An exception whose text carried a token: its message and its printed form, redacted.</summary>
public sealed class RedactedException(string? type, string message, string shown) : Exception($"{type}: {message}")
{
    public override string ToString() => shown;
}

/// <summary>The host's logger factory, handing out loggers that redact tokens from messages, values, scopes and exceptions.</summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(new RedactedState<TState>(state, null));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, new RedactedState<TState>(state, formatter), TokenRedaction.Redact(exception), static (s, e) => s.Format(e));
            }
        }
    }

    /// <summary>
    /// A log's state or a scope seen through redaction: its message, its structured values (as the JSON console and
    /// OpenTelemetry read them) and its printed form. Values are redacted when a provider reads them, not before.
    /// </summary>
    private sealed class RedactedState<TState>(TState state, Func<TState, Exception?, string>? formatter) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly IReadOnlyList<KeyValuePair<string, object?>>? _values = state as IReadOnlyList<KeyValuePair<string, object?>>;

        public int Count => _values?.Count ?? 0;

        public KeyValuePair<string, object?> this[int index] => new(_values![index].Key, TokenRedaction.Redact(_values[index].Value));

        public string Format(Exception? exception) => TokenRedaction.Redact(formatter!(state, exception));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => TokenRedaction.Redact(state?.ToString() ?? string.Empty);
    }
}

/// <summary>
/// Redacts tokens from a span before it is exported: its name, its string tags (<c>url.path</c>, <c>url.full</c>,
/// exception messages set as tags) and its status description. Added before the exporter, so the exporter only
/// ever sees the redacted span.
/// </summary>
public sealed class TokenRedactingSpanProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        data.DisplayName = TokenRedaction.Redact(data.DisplayName);
        List<KeyValuePair<string, string>>? redacted = null;
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (tag.Value is string text && TokenRedaction.Redact(text) is var clean && !ReferenceEquals(clean, text))
            {
                (redacted ??= []).Add(new(tag.Key, clean));
            }
        }

        foreach (var (key, value) in redacted ?? [])
        {
            data.SetTag(key, value);
        }

        if (data.StatusDescription is { } description)
        {
            data.SetStatus(data.Status, TokenRedaction.Redact(description));
        }
    }
}
