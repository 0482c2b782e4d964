using System.Globalization;

namespace Connectors.Modules.Csi;

/// <summary>Parses durations as Go's <c>time.ParseDuration</c> does (<c>30m</c>, <c>1h30m</c>, <c>1.5h</c>, <c>90s</c>; a unit is required except for <c>0</c>).</summary>
internal static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var span = text.AsSpan();
        if (span.SequenceEqual("0"))
        {
            return true;
        }

        if (span.IsEmpty)
        {
            return false;
        }

        double totalNanoseconds = 0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            var unit = digits;
            while (unit < span.Length && !char.IsAsciiDigit(span[unit]) && span[unit] != '.')
            {
                unit++;
            }

            if (digits == 0 || unit == digits
                || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            double? scale = span[digits..unit] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            totalNanoseconds += value * scale.Value;
            span = span[unit..];
        }

        if (totalNanoseconds > TimeSpan.MaxValue.Ticks * 100.0)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)(totalNanoseconds / 100));
        return true;
    }
}
