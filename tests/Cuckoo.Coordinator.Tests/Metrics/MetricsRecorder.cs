using System.Diagnostics.Metrics;
using Cuckoo.Coordinator.Metrics;

namespace Cuckoo.Coordinator.Tests.Metrics;

/// <summary>
/// Listens to the instruments of one <see cref="CoordinatorMetrics"/> (by meter instance, not name: tests in parallel
/// each have their own) and keeps every measurement. The actors record on their own threads, so reads take a copy.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Recorded> _recorded = [];
    private readonly Dictionary<string, Instrument> _instruments = [];

    public MetricsRecorder(CoordinatorMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                lock (_recorded)
                {
                    _instruments[instrument.Name] = instrument;
                }
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public Instrument Instrument(string name)
    {
        lock (_recorded)
        {
            return _instruments[name];
        }
    }

    /// <summary>Measurements of <paramref name="instrument"/> whose tags include every one of <paramref name="tags"/> ("key=value").</summary>
    public List<double> Values(string instrument, params string[] tags)
    {
        lock (_recorded)
        {
            return _recorded.Where(r => r.Instrument == instrument && tags.All(r.Tags.Contains)).Select(r => r.Value).ToList();
        }
    }

    /// <summary>A counter's total over the measurements matching <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params string[] tags) => Values(instrument, tags).Sum();

    /// <summary>The gauges' values now, by their tags joined ("state=queued"): each observation replaces the last.</summary>
    public Dictionary<string, double> Observe(string instrument)
    {
        lock (_recorded)
        {
            _recorded.RemoveAll(r => r.Instrument == instrument);
        }
        _listener.RecordObservableInstruments();
        lock (_recorded)
        {
            return _recorded.Where(r => r.Instrument == instrument).ToDictionary(r => string.Join(",", r.Tags.Order()), r => r.Value);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var recorded = new Recorded(instrument.Name, value, [.. tags.ToArray().Select(t => $"{t.Key}={t.Value}")]);
        lock (_recorded)
        {
            _recorded.Add(recorded);
        }
    }

    private sealed record Recorded(string Instrument, double Value, HashSet<string> Tags);
}
