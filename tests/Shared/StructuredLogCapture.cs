using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>One log record as a structured logger would write it: every piece of text it carries.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventName">The event's name, if any.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Values">Every key and value of its state and of its scopes, rendered deeply.</param>
/// <param name="Exception">The exception's full text, if any.</param>
public sealed record CapturedRecord(string Category, LogLevel Level, string? EventName, string Message, IReadOnlyList<string> Values, string? Exception)
{
    public IEnumerable<string> Texts => Values.Append(Message).Append(Exception ?? string.Empty);

    public override string ToString() => $"{Level} {Category} {EventName}: {Message} [{string.Join(" | ", Values)}] {Exception}";
}

/// <summary>
/// A logger provider, enabled at every level (Trace included), that keeps what a structured logger (JSON console,
/// OpenTelemetry, Serilog) could write of each record: the message, and the state's and the scopes' key/value
/// pairs, each value rendered deeply: strings as they are, collections item by item (a header's values), other
/// objects by their text and their public properties. A secret anywhere in a record is in its texts.
/// </summary>
public sealed class StructuredLogCapture : ILoggerProvider, ISupportExternalScope
{
    private const int MaxDepth = 4;
    private readonly ConcurrentQueue<CapturedRecord> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedRecord> Records => _records.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Every text <paramref name="value"/> holds, as a structured logger could write it.</summary>
    public static void Render(object? value, List<string> into, int depth = 0)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                into.Add(text);
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                into.Add(value.ToString() ?? string.Empty);
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    into.Add(pair.Key);
                    Render(pair.Value, into, depth + 1);
                }

                return;
            case IEnumerable items:
                foreach (object? item in items)
                {
                    Render(item, into, depth + 1);
                }

                return;
        }

        into.Add(value.ToString() ?? string.Empty);
        Type type = value.GetType();
        if (depth >= MaxDepth || type.IsPrimitive || type.IsEnum || value is Type or Delegate or MemberInfo)
        {
            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            Render(propertyValue, into, depth + 1);
        }
    }

    private sealed class Logger(StructuredLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            Render(state, values);
            capture._scopes.ForEachScope((scope, list) => Render(scope, list), values);
            capture._records.Enqueue(new CapturedRecord(category, logLevel, eventId.Name, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
