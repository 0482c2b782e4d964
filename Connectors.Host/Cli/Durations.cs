using System.Globalization;

namespace Connectors.Host.Cli;

/// <summary>Reads Go-style durations (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>) or plain seconds.</summary>
internal static class Durations
{
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var total = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            throw new FormatException("empty duration");
        }

        while (!span.IsEmpty)
        {
            var i = 0;
            while (i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] == '.'))
            {
                i++;
            }

            var j = i;
            while (j < span.Length && char.IsAsciiLetter(span[j]))
            {
                j++;
            }

            if (i == 0 || j == i || !double.TryParse(span[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"invalid duration \"{text}\": want for example 30s, 5m or 1h30m");
            }

            total += span[i..j] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => throw new FormatException($"invalid duration \"{text}\": unknown unit \"{span[i..j]}\""),
            };
            span = span[j..];
        }

        return total;
    }
}
