using System.Globalization;

namespace Connectors.Bench.Controller;

/// <summary>Arguments of <c>Connectors.Bench controller</c>.</summary>
internal sealed record BenchSettings(int Connectors, int Namespaces, int Workers, int Qps, string ControllerBinary, TimeSpan Deadline)
{
    public static BenchSettings Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var binary = Value("--controller", Path.Combine("Connectors.Host", "bin", "Release", "net10.0", "connectors"));
        return new BenchSettings(Int("--connectors", 10_000), Int("--namespaces", 100), Int("--workers", 4), Int("--qps", 1000),
            Path.GetFullPath(binary), TimeSpan.FromSeconds(Int("--deadline-seconds", 600)));
    }
}
