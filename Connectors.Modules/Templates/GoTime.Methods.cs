using System.Globalization;

namespace Connectors.Modules.Templates;

/// <summary>The methods of time.Time a template can call on what toDate, dateModify or now return.</summary>
internal sealed partial class GoTime
{
    private const long NanosPerTick = 100;

    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    public bool HasMethod(string name) => name is "Unix" or "UnixMilli" or "UnixMicro" or "UnixNano" or "Year" or "Month" or "Day"
        or "Hour" or "Minute" or "Second" or "Nanosecond" or "YearDay" or "Weekday" or "Format" or "UTC" or "Local" or "String"
        or "IsZero" or "Before" or "After" or "Equal" or "Sub" or "Add" or "AddDate" or "Truncate" or "Round" or "Location"
        or "Zone" or "ISOWeek" or "Clock" or "Date";

    public object? CallMethod(string name, object?[] args)
    {
        // Go refuses methods with several results that are not (value, error).
        if (name is "Zone" or "ISOWeek" or "Clock" or "Date")
        {
            throw new FunctionCallException($"can't call method/function {GoQuote.Quote(name)} with {(name is "Zone" or "ISOWeek" ? 2 : 3)} results");
        }

        GoMethodArgs.Expect(name, args, name switch
        {
            "Format" or "Before" or "After" or "Equal" or "Sub" or "Add" or "Truncate" or "Round" => 1,
            "AddDate" => 3,
            _ => 0,
        });
        return name switch
        {
            "Unix" => new GoInt64(Value.ToUnixTimeSeconds()),
            "UnixMilli" => new GoInt64(Value.ToUnixTimeMilliseconds()),
            "UnixMicro" => new GoInt64(UnixNanos() / 1000),
            "UnixNano" => new GoInt64(UnixNanos()),
            "Year" => (long)Value.Year,
            "Month" => new GoNamedInt(Value.Month, "time.Month", MonthNames[Value.Month - 1]),
            "Day" => (long)Value.Day,
            "Hour" => (long)Value.Hour,
            "Minute" => (long)Value.Minute,
            "Second" => (long)Value.Second,
            "Nanosecond" => Value.Ticks % TimeSpan.TicksPerSecond * NanosPerTick,
            "YearDay" => (long)Value.DayOfYear,
            "Weekday" => new GoNamedInt((long)Value.DayOfWeek, "time.Weekday", Value.DayOfWeek.ToString()),
            "Format" => Format(GoMethodArgs.Arg<string>(args, 0, "string")),
            "UTC" or "Local" => Utc(Value),
            "IsZero" => Value == DateTimeOffset.MinValue,
            "Before" => Value < Other(args).Value,
            "After" => Value > Other(args).Value,
            "Equal" => Value == Other(args).Value,
            "Sub" => GoNamedInt.Duration(Saturated((Int128)(Value - Other(args).Value).Ticks * NanosPerTick)),
            "Add" => Shift(TimeSpan.FromTicks(GoMethodArgs.Int(args, 0, "time.Duration") / NanosPerTick)),
            "AddDate" => AddDate(GoMethodArgs.Int(args, 0, "int"), GoMethodArgs.Int(args, 1, "int"), GoMethodArgs.Int(args, 2, "int")),
            "Truncate" => Rounded(GoMethodArgs.Int(args, 0, "time.Duration"), round: false),
            "Round" => Rounded(GoMethodArgs.Int(args, 0, "time.Duration"), round: true),
            "Location" => new GoNamedInt(0, "*time.Location", Zone == "UTC" ? "UTC" : Zone),
            _ => GoString(),
        };
    }

    /// <summary>time.Time.Sub saturates at the largest or smallest Duration (about 292 years) instead of wrapping.</summary>
    private static long Saturated(Int128 nanos) => nanos > long.MaxValue ? long.MaxValue : nanos < long.MinValue ? long.MinValue : (long)nanos;

    private static GoTime Other(object?[] args) => GoMethodArgs.Arg<GoTime>(args, 0, "time.Time");

    private long UnixNanos() => (Value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick;

    private GoTime Shift(TimeSpan by) => new(Value.Add(by), Zone);

    /// <summary>time.AddDate: months and days overflow into the next month or year, as Go's Date normalises them.</summary>
    private GoTime AddDate(long years, long months, long days)
    {
        var totalMonths = ((Value.Year + years) * 12) + (Value.Month - 1) + months;
        var year = (int)Math.Floor(totalMonths / 12.0);
        var month = (int)(totalMonths - (year * 12L)) + 1;
        var first = new DateTimeOffset(year, month, 1, Value.Hour, Value.Minute, Value.Second, Value.Offset).AddTicks(Value.Ticks % TimeSpan.TicksPerSecond);
        return new GoTime(first.AddDays(Value.Day - 1 + days), Zone);
    }

    /// <summary>time.Truncate / Round: relative to the zero time, as Go computes them (d &lt;= 0 returns the time).</summary>
    private GoTime Rounded(long nanos, bool round)
    {
        if (nanos <= 0)
        {
            return this;
        }

        var ticks = Math.Max(1, nanos / NanosPerTick);
        var sinceZero = Value.UtcTicks - DateTimeOffset.MinValue.UtcTicks;
        var remainder = sinceZero % ticks;
        var down = Value.AddTicks(-remainder);
        return new GoTime(round && remainder * 2 >= ticks ? down.AddTicks(ticks) : down, Zone);
    }
}
