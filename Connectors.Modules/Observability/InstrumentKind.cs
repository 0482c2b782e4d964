namespace Connectors.Modules.Observability;

/// <summary>The Prometheus metric type an instrument is exposed as.</summary>
public enum InstrumentKind
{
    Counter,
    Gauge,
    Histogram,
}
