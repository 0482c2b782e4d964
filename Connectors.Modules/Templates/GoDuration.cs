using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>Go's time.Duration String(), ParseDuration, and sprig's durationRound.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan d) => Format(d.Ticks * 100);

    /// <summary>Go's <c>time.Duration.String</c> of <paramref name="nanos"/> nanoseconds, to the nanosecond.</summary>
    public static string Format(long nanos)
    {
        if (nanos == 0)
        {
            return "0s";
        }

        var neg = nanos < 0;
        var u = neg ? (ulong)(-(nanos + 1)) + 1 : (ulong)nanos;
        var sb = new StringBuilder();
        if (u < 1_000_000_000UL)
        {
            var (unit, div) = u < 1000 ? ("ns", 1UL) : u < 1_000_000 ? ("µs", 1000UL) : ("ms", 1_000_000UL);
            sb.Append(Fraction(u, div)).Append(unit);
        }
        else
        {
            var secs = u / 1_000_000_000UL;
            var frac = u % 1_000_000_000UL;
            var hours = secs / 3600;
            var minutes = secs / 60 % 60;
            var seconds = secs % 60;
            if (hours > 0)
            {
                sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            }

            if (hours > 0 || minutes > 0)
            {
                sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            sb.Append(Fraction((seconds * 1_000_000_000UL) + frac, 1_000_000_000UL)).Append('s');
        }

        return (neg ? "-" : string.Empty) + sb;
    }

    private static string Fraction(ulong v, ulong div)
    {
        var whole = (v / div).ToString(CultureInfo.InvariantCulture);
        var rest = v % div;
        if (rest == 0)
        {
            return whole;
        }

        var digits = div.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString("D" + digits, CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static bool TryParse(string s, out TimeSpan d)
    {
        d = TimeSpan.Zero;
        var orig = s;
        var neg = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        decimal total = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == 0 || !decimal.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var num))
            {
                return false;
            }

            s = s[i..];
            var j = 0;
            while (j < s.Length && !(char.IsAsciiDigit(s[j]) || s[j] == '.'))
            {
                j++;
            }

            decimal nanosPerUnit = s[..j] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => -1m,
            };
            // Go's time.ParseDuration: "invalid duration" past int64 nanoseconds (about 292 years), never an overflow.
            const decimal MaxNanos = 9_223_372_036_854_775_807m;
            if (nanosPerUnit < 0 || num > (MaxNanos + 1m) / nanosPerUnit)
            {
                return false;
            }

            total += num * nanosPerUnit;
            if (total > MaxNanos + (neg ? 1m : 0m))
            {
                return false;
            }

            s = s[j..];
        }

        _ = orig;
        d = TimeSpan.FromTicks((long)(total / 100m) * (neg ? -1 : 1));
        return true;
    }

    /// <summary>sprig's durationRound: the largest whole unit (y, mo, d, h, m, s) of the duration.</summary>
    public static string Round(TimeSpan d)
    {
        var u = (ulong)Math.Abs(d.Ticks * 100);
        const ulong second = 1_000_000_000UL, minute = 60 * second, hour = 60 * minute, day = 24 * hour, month = 30 * day, year = 365 * day;
        return u switch
        {
            > year => (u / year) + "y",
            > month => (u / month) + "mo",
            > day => (u / day) + "d",
            > hour => (u / hour) + "h",
            > minute => (u / minute) + "m",
            > second => (u / second) + "s",
            _ => "0s",
        };
    }
}
