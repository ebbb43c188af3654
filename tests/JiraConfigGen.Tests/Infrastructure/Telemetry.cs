using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>
/// Everything a scenario emits: log lines (formatted, with their structured values), metric measurements
/// (instrument and tags) and the exceptions callers saw, so a test can scan it all for secrets.
/// </summary>
public sealed class Telemetry : ILoggerProvider, IDisposable
{
    private readonly ConcurrentQueue<string> _logs = new();
    private readonly ConcurrentQueue<string> _metrics = new();
    private readonly ConcurrentQueue<Exception> _exceptions = new();
    private readonly ServiceProvider _meterServices;
    private readonly MeterListener _listener = new();

    public Telemetry()
    {
        _meterServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _meterServices.GetRequiredService<IMeterFactory>();
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Trace));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == MeterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _metrics.Enqueue($"{instrument.Name} {value} {string.Join(" ", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))}"));
        _listener.Start();
    }

    public IMeterFactory MeterFactory { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyList<string> Logs => _logs.ToArray();

    public IReadOnlyList<string> Metrics => _metrics.ToArray();

    public IReadOnlyList<Exception> Exceptions => _exceptions.ToArray();

    public void Record(Exception exception) => _exceptions.Enqueue(exception);

    /// <summary>Every piece of text this scenario emitted.</summary>
    public IEnumerable<string> AllText() =>
        Logs.Concat(Metrics).Concat(Exceptions.SelectMany(e => new[] { e.Message, e.ToString() }));

    /// <summary>Fails if any secret, or the Basic header built from it, appears anywhere.</summary>
    public void AssertNoSecret(IEnumerable<string> secrets, string username)
    {
        var forbidden = secrets
            .SelectMany(s => new[] { s, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(username + ":" + s)) })
            .ToList();
        foreach (string text in AllText())
        {
            foreach (string secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret leaked into: {text}");
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
        _listener.Dispose();
        LoggerFactory.Dispose();
        _meterServices.Dispose();
    }

    private sealed class Logger(Telemetry telemetry) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            telemetry._logs.Enqueue($"{logLevel} {eventId.Name}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
