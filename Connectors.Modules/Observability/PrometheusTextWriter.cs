using System.Globalization;
using System.Text;

namespace Connectors.Modules.Observability;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): one <c># HELP</c> and <c># TYPE</c> line per
/// metric family, then its samples. Instrument names are mapped as the OpenTelemetry Prometheus exporter does:
/// dots become underscores, the unit becomes a suffix (<c>s</c> -> <c>_seconds</c>, <c>By</c> -> <c>_bytes</c>)
/// and counters end in <c>_total</c>.
/// </summary>
public static class PrometheusTextWriter
{
    /// <summary>The Content-Type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Write(TextWriter writer, IEnumerable<InstrumentState> instruments)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(instruments);
        foreach (var state in instruments)
        {
            var name = MetricName(state.Instrument.Name, state.Instrument.Unit);
            var family = state.Kind == InstrumentKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
            var series = state.Series.ToArray();
            if (series.Length == 0)
            {
                continue;
            }

            writer.Write("# HELP ");
            writer.Write(family);
            writer.Write(' ');
            writer.Write(EscapeHelp(state.Instrument.Description ?? state.Instrument.Name));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(family);
            writer.Write(state.Kind switch
            {
                InstrumentKind.Counter => " counter\n",
                InstrumentKind.Histogram => " histogram\n",
                _ => " gauge\n",
            });
            foreach (var (labels, value) in series)
            {
                if (state.Kind == InstrumentKind.Histogram)
                {
                    WriteHistogram(writer, name, labels, value, state.Buckets);
                }
                else
                {
                    WriteSample(writer, family, labels, null, value.Value);
                }
            }
        }
    }

    /// <summary>Maps an instrument name and unit to a Prometheus metric name.</summary>
    public static string MetricName(string instrumentName, string? unit)
    {
        ArgumentNullException.ThrowIfNull(instrumentName);
        var builder = new StringBuilder(instrumentName.Length + 8);
        for (var i = 0; i < instrumentName.Length; i++)
        {
            var c = instrumentName[i];
            var valid = char.IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && char.IsAsciiDigit(c));
            builder.Append(valid ? c : '_');
        }

        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => null,
        };
        if (suffix is not null && !builder.ToString().EndsWith(suffix, StringComparison.Ordinal))
        {
            builder.Append(suffix);
        }

        return builder.ToString();
    }

    private static void WriteHistogram(TextWriter writer, string name, LabelSet labels, Series series, IReadOnlyList<double> buckets)
    {
        var (cumulative, sum, count) = series.ReadHistogram();
        for (var i = 0; i < buckets.Count; i++)
        {
            WriteSample(writer, name + "_bucket", labels, FormatValue(buckets[i]), cumulative[i]);
        }

        WriteSample(writer, name + "_bucket", labels, "+Inf", count);
        WriteSample(writer, name + "_sum", labels, null, sum);
        WriteSample(writer, name + "_count", labels, null, count);
    }

    private static void WriteSample(TextWriter writer, string name, LabelSet labels, string? le, double value)
    {
        writer.Write(name);
        if (labels.Labels.Count > 0 || le is not null)
        {
            writer.Write('{');
            var first = true;
            foreach (var (key, labelValue) in labels.Labels)
            {
                if (!first)
                {
                    writer.Write(',');
                }

                first = false;
                writer.Write(LabelName(key));
                writer.Write("=\"");
                writer.Write(EscapeLabelValue(labelValue));
                writer.Write('"');
            }

            if (le is not null)
            {
                writer.Write(first ? "le=\"" : ",le=\"");
                writer.Write(le);
                writer.Write('"');
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(FormatValue(value));
        writer.Write('\n');
    }

    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string LabelName(string key)
    {
        var chars = key.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (!(char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c))))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string text) => EscapeHelp(text).Replace("\"", "\\\"", StringComparison.Ordinal);
}
