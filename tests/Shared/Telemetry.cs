using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>
/// Everything a scenario emits: log records at every level as a structured logger would keep them (messages,
/// state and scopes rendered deeply), metric measurements (instrument and tags), the tags and events of the
/// activities HttpClient traces, and the exceptions callers saw, so a test can scan it all for secrets.
/// </summary>
public sealed class Telemetry : IDisposable
{
    private readonly StructuredLogCapture _logs = new();
    private readonly ConcurrentQueue<string> _metrics = new();
    private readonly ConcurrentQueue<string> _traces = new();
    private readonly ConcurrentQueue<Exception> _exceptions = new();
    private readonly ServiceProvider _meterServices;
    private readonly MeterListener _listener = new();
    private readonly ActivityListener _activities;

    public Telemetry()
    {
        _meterServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _meterServices.GetRequiredService<IMeterFactory>();
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
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

        // HttpClient's own traces (System.Net.Http), on for the scan: every tag and event of every activity.
        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _traces.Enqueue(
                $"{activity.Source.Name} {activity.DisplayName} " +
                string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " +
                string.Join(" ", activity.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}"))))),
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public IMeterFactory MeterFactory { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The log records, each as one line.</summary>
    public IReadOnlyList<string> Logs => _logs.Records.Select(r => r.ToString()).ToArray();

    public IReadOnlyList<CapturedRecord> Records => _logs.Records;

    public IReadOnlyList<string> Metrics => _metrics.ToArray();

    public IReadOnlyList<string> Traces => _traces.ToArray();

    public IReadOnlyList<Exception> Exceptions => _exceptions.ToArray();

    public void Record(Exception exception) => _exceptions.Enqueue(exception);

    /// <summary>Every piece of text this scenario emitted.</summary>
    public IEnumerable<string> AllText() =>
        _logs.Records.SelectMany(r => r.Texts).Concat(Metrics).Concat(Traces).Concat(Exceptions.SelectMany(e => new[] { e.Message, e.ToString() }));

    /// <summary>Fails if any secret, the Basic header built from it, or a fast hash of either appears anywhere.</summary>
    public void AssertNoSecret(IEnumerable<string> secrets, string username)
    {
        string? leak = SecretForms.FindIn(AllText(), SecretForms.Of(secrets, username));
        Assert.True(leak is null, $"a secret leaked into: {leak}");
    }

    public void Dispose()
    {
        _activities.Dispose();
        _listener.Dispose();
        LoggerFactory.Dispose();
        _meterServices.Dispose();
    }
}
