using System.Globalization;
using System.Text.RegularExpressions;

namespace Connectors.Tests.Support;

/// <summary>A strict parser of the Prometheus text format, so tests check what a scraper would read.</summary>
internal static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public static Dictionary<string, Family> Parse(string text)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        Family? current = null;
        string? help = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                // HELP may come before or after its TYPE line (the format allows both).
                help = line[7..];
                if (current is not null && current.Help.Length == 0 && help.StartsWith(current.Name + " ", StringComparison.Ordinal))
                {
                    current = families[current.Name] = current with { Help = help[(current.Name.Length + 1)..] };
                    help = null;
                }

                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2)
                {
                    throw new FormatException($"bad TYPE line: {line}");
                }

                var ownHelp = help is not null && help.StartsWith(parts[0] + " ", StringComparison.Ordinal) ? help[(parts[0].Length + 1)..] : "";
                help = null;
                current = new Family(parts[0], parts[1], ownHelp, []);
                if (!families.TryAdd(parts[0], current))
                {
                    throw new FormatException($"family {parts[0]} declared twice");
                }

                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success || current is null)
            {
                throw new FormatException($"bad sample line: {line}");
            }

            var name = match.Groups["name"].Value;
            if (!name.StartsWith(current.Name, StringComparison.Ordinal))
            {
                throw new FormatException($"sample {name} outside its family {current.Name}");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["k"].Value] = Regex.Unescape(label.Groups["v"].Value);
            }

            var valueText = match.Groups["value"].Value;
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            current.Samples.Add(new Sample(name, labels, value));
        }

        return families;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<k>[a-zA-Z_][a-zA-Z0-9_]*)="(?<v>(\\.|[^"\\])*)",?""")]
    private static partial Regex LabelPair();
}
