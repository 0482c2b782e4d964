using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// A Go time.Time (instant plus zone offset and abbreviation) with Go's layout formatting and parsing
/// (reference time <c>Mon Jan 2 15:04:05 MST 2006</c>). "Local" is UTC in this engine (the oracle runs with TZ=UTC).
/// </summary>
internal sealed partial class GoTime(DateTimeOffset value, string zone) : IGoStringer, IGoMethods
{
    private static readonly string[] Tokens =
    [
        "January", "Jan", "Monday", "Mon", "MST", "2006", "-07:00:00", "-0700", "-07:00", "-07", "Z07:00:00", "Z0700", "Z07:00", "Z07",
        "01", "02", "_2", "03", "04", "05", "06", "15", "PM", "pm", "1", "2", "3", "4", "5", ".000000000", ".00000000", ".0000000",
        ".000000", ".00000", ".0000", ".000", ".00", ".0", ".999999999", ".99999999", ".9999999", ".999999", ".99999", ".9999", ".999", ".99", ".9",
    ];

    public DateTimeOffset Value { get; } = value;

    public string Zone { get; } = zone;

    public string GoTypeName => "time.Time";

    /// <summary>Go's zero time.Time (0001-01-01 00:00:00 UTC).</summary>
    public static GoTime Zero { get; } = new(DateTimeOffset.MinValue, "UTC");

    public static GoTime Utc(DateTimeOffset t) => new(t.ToUniversalTime(), "UTC");

    public static GoTime FromUnix(long seconds) => Utc(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public string GoString() => Format("2006-01-02 15:04:05.999999999 -0700 MST");

    public string ToRfc3339Nano() => Format("2006-01-02T15:04:05.999999999Z07:00");

    public string Format(string layout)
    {
        var sb = new StringBuilder();
        var t = Value;
        for (var i = 0; i < layout.Length;)
        {
            var token = Tokens.FirstOrDefault(k => string.CompareOrdinal(layout, i, k, 0, k.Length) == 0);
            if (token is null)
            {
                sb.Append(layout[i++]);
                continue;
            }

            i += token.Length;
            sb.Append(FormatToken(token, t));
        }

        return sb.ToString();
    }

    private string FormatToken(string token, DateTimeOffset t)
    {
        var inv = CultureInfo.InvariantCulture;
        var offset = t.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        switch (token)
        {
            case "January": return t.ToString("MMMM", inv);
            case "Jan": return t.ToString("MMM", inv);
            case "Monday": return t.ToString("dddd", inv);
            case "Mon": return t.ToString("ddd", inv);
            case "MST": return Zone;
            case "2006": return t.Year.ToString("D4", inv);
            case "06": return (t.Year % 100).ToString("D2", inv);
            case "01": return t.Month.ToString("D2", inv);
            case "1": return t.Month.ToString(inv);
            case "02": return t.Day.ToString("D2", inv);
            case "_2": return t.Day.ToString(inv).PadLeft(2);
            case "2": return t.Day.ToString(inv);
            case "15": return t.Hour.ToString("D2", inv);
            case "03": return (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString("D2", inv);
            case "3": return (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString(inv);
            case "04": return t.Minute.ToString("D2", inv);
            case "4": return t.Minute.ToString(inv);
            case "05": return t.Second.ToString("D2", inv);
            case "5": return t.Second.ToString(inv);
            case "PM": return t.Hour >= 12 ? "PM" : "AM";
            case "pm": return t.Hour >= 12 ? "pm" : "am";
            case "-0700": return $"{sign}{abs.Hours:D2}{abs.Minutes:D2}";
            case "-07:00": return $"{sign}{abs.Hours:D2}:{abs.Minutes:D2}";
            case "-07": return $"{sign}{abs.Hours:D2}";
            case "-07:00:00": return $"{sign}{abs.Hours:D2}:{abs.Minutes:D2}:{abs.Seconds:D2}";
            case "Z0700": return offset == TimeSpan.Zero ? "Z" : $"{sign}{abs.Hours:D2}{abs.Minutes:D2}";
            case "Z07:00": return offset == TimeSpan.Zero ? "Z" : $"{sign}{abs.Hours:D2}:{abs.Minutes:D2}";
            case "Z07": return offset == TimeSpan.Zero ? "Z" : $"{sign}{abs.Hours:D2}";
            case "Z07:00:00": return offset == TimeSpan.Zero ? "Z" : $"{sign}{abs.Hours:D2}:{abs.Minutes:D2}:{abs.Seconds:D2}";
        }

        // Fractional seconds: .000 keeps zeros, .999 trims them (and the dot when nothing is left).
        var digits = token.Length - 1;
        var nanos = (t.Ticks % TimeSpan.TicksPerSecond) * 100;
        var frac = nanos.ToString("D9", inv)[..digits];
        if (token[1] == '9')
        {
            frac = frac.TrimEnd('0');
            return frac.Length == 0 ? string.Empty : "." + frac;
        }

        return "." + frac;
    }

    /// <summary>time.ParseInLocation for the numeric layout elements; throws on a mismatch.</summary>
    public static GoTime Parse(string layout, string value)
    {
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long ticks = 0;
        var pm = (bool?)null;
        var offset = TimeSpan.Zero;
        var zone = "UTC";
        var v = 0;
        for (var i = 0; i < layout.Length;)
        {
            var token = Tokens.FirstOrDefault(k => string.CompareOrdinal(layout, i, k, 0, k.Length) == 0);
            if (token is null)
            {
                if (v >= value.Length || value[v] != layout[i])
                {
                    var literalEnd = i + 1;
                    while (literalEnd < layout.Length && !Tokens.Any(k => string.CompareOrdinal(layout, literalEnd, k, 0, k.Length) == 0))
                    {
                        literalEnd++;
                    }

                    throw CannotParse(layout, value, v, layout[i..literalEnd]);
                }

                i++;
                v++;
                continue;
            }

            i += token.Length;
            try
            {
                ParseToken(token);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
            {
                throw CannotParse(layout, value, v, token);
            }
        }

        void ParseToken(string token)
        {
            switch (token)
            {
                case "2006": year = Digits(value, ref v, 4, 4); break;
                case "06": year = 1900 + Digits(value, ref v, 2, 2); year += year < 1969 ? 100 : 0; break;
                case "01": month = Digits(value, ref v, 2, 2); break;
                case "1": month = Digits(value, ref v, 1, 2); break;
                case "Jan": month = Array.IndexOf(CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames, value.Substring(v, 3)) + 1; v += 3; break;
                case "02": day = Digits(value, ref v, 2, 2); break;
                case "2" or "_2":
                    if (value[v] == ' ')
                    {
                        v++;
                    }

                    day = Digits(value, ref v, 1, 2);
                    break;
                case "15": hour = Digits(value, ref v, 2, 2); break;
                case "03": hour = Digits(value, ref v, 2, 2); break;
                case "3": hour = Digits(value, ref v, 1, 2); break;
                case "04": minute = Digits(value, ref v, 2, 2); break;
                case "4": minute = Digits(value, ref v, 1, 2); break;
                case "05": second = Digits(value, ref v, 2, 2); break;
                case "5": second = Digits(value, ref v, 1, 2); break;
                case "PM" or "pm": pm = value.Substring(v, 2).Equals("PM", StringComparison.OrdinalIgnoreCase); v += 2; break;
                case "MST": zone = value.Substring(v, 3); v += 3; break;
                case "Z07:00" or "Z0700" or "-07:00" or "-0700" when v < value.Length && value[v] == 'Z': v++; break;
                case "Z07:00" or "-07:00" or "Z0700" or "-0700":
                    var neg = value[v] == '-';
                    v++;
                    var oh = Digits(value, ref v, 2, 2);
                    if (token.Contains(':', StringComparison.Ordinal))
                    {
                        v++;
                    }

                    var om = Digits(value, ref v, 2, 2);
                    offset = new TimeSpan(oh, om, 0) * (neg ? -1 : 1);
                    zone = string.Empty;
                    break;
                default:
                    if (token.StartsWith('.') && v < value.Length && value[v] == '.')
                    {
                        v++;
                        var start = v;
                        while (v < value.Length && char.IsAsciiDigit(value[v]))
                        {
                            v++;
                        }

                        var frac = value[start..v].PadRight(7, '0')[..7];
                        ticks = long.Parse(frac, CultureInfo.InvariantCulture);
                    }

                    break;
            }
        }

        if (v != value.Length)
        {
            throw new FormatException($"parsing time {GoQuote.Quote(value)}: extra text: {GoQuote.Quote(value[v..])}");
        }

        if (pm is bool isPm)
        {
            hour = (hour % 12) + (isPm ? 12 : 0);
        }

        var dto = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        return new GoTime(dto, zone.Length == 0 ? string.Empty : zone);
    }

    private static FormatException CannotParse(string layout, string value, int v, string element) =>
        new($"parsing time {GoQuote.Quote(value)} as {GoQuote.Quote(layout)}: cannot parse {GoQuote.Quote(value[Math.Min(v, value.Length)..])} as {GoQuote.Quote(element)}");

    private static int Digits(string s, ref int v, int min, int max)
    {
        var start = v;
        while (v < s.Length && v - start < max && char.IsAsciiDigit(s[v]))
        {
            v++;
        }

        if (v - start < min)
        {
            throw new FormatException($"parsing time {GoQuote.Quote(s)}: bad number");
        }

        return int.Parse(s.AsSpan(start, v - start), CultureInfo.InvariantCulture);
    }
}
