using System.Globalization;

namespace Connectors.Modules.Templates;

// Sprig's date functions (date.go). Functions whose Go version falls back to time.Now() read the clock here
// too, and are refused unless the render allows nondeterministic functions.
internal static partial class SprigFunctions
{
    private static void RegisterDates(FunctionTable t)
    {
        AddWithContext(t, "now", [], null, (c, _) => GoTime.Utc(c.Clock.GetUtcNow()), FunctionEffect.Nondeterministic);
        AddWithContext(t, "ago", [A], null, (c, a) => GoDuration.Format(RoundToSecond(c.Clock.GetUtcNow() - TimeOf(c, a[0]).Value)), FunctionEffect.Nondeterministic);
        AddWithContext(t, "date", [S, A], null, (c, a) => InZone(TimeOf(c, a[1]), "Local").Format(Str(a[0])));
        AddWithContext(t, "htmlDate", [A], null, (c, a) => InZone(TimeOf(c, a[0]), "Local").Format("2006-01-02"));
        AddWithContext(t, "dateInZone", [S, A, S], null, (c, a) => InZone(TimeOf(c, a[1]), Str(a[2])).Format(Str(a[0])));
        AddWithContext(t, "date_in_zone", [S, A, S], null, (c, a) => InZone(TimeOf(c, a[1]), Str(a[2])).Format(Str(a[0])));
        AddWithContext(t, "htmlDateInZone", [A, S], null, (c, a) => InZone(TimeOf(c, a[0]), Str(a[1])).Format("2006-01-02"));
        Add(t, "dateModify", [S, ParamKind.Time], null, a => GoDuration.TryParse(Str(a[0]), out var d) ? Shift((GoTime)a[1]!, d) : a[1]);
        Add(t, "date_modify", [S, ParamKind.Time], null, a => GoDuration.TryParse(Str(a[0]), out var d) ? Shift((GoTime)a[1]!, d) : a[1]);
        Add(t, "mustDateModify", [S, ParamKind.Time], null, a => GoDuration.TryParse(Str(a[0]), out var d) ? Shift((GoTime)a[1]!, d) : throw new FunctionCallException($"time: invalid duration {GoQuote.Quote(Str(a[0]))}"));
        Add(t, "must_date_modify", [S, ParamKind.Time], null, a => GoDuration.TryParse(Str(a[0]), out var d) ? Shift((GoTime)a[1]!, d) : throw new FunctionCallException($"time: invalid duration {GoQuote.Quote(Str(a[0]))}"));
        Add(t, "toDate", [S, S], null, a => TryParseTime(Str(a[0]), Str(a[1]), out var time, out _) ? time : GoTime.Zero);
        Add(t, "mustToDate", [S, S], null, a => TryParseTime(Str(a[0]), Str(a[1]), out var time, out var error) ? time : throw new FunctionCallException(error));
        Add(t, "unixEpoch", [ParamKind.Time], null, a => ((GoTime)a[0]!).Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Add(t, "duration", [A], null, a => GoDuration.Format(TimeSpan.FromSeconds(a[0] switch
        {
            string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0,
            GoInt64 n => n.Value,
            _ => 0,
        })));
        AddWithContext(t, "durationRound", [A], null, (c, a) => GoDuration.Round(a[0] switch
        {
            string s => GoDuration.TryParse(s, out var d) ? d : TimeSpan.Zero,
            GoInt64 n => TimeSpan.FromTicks(n.Value / 100),
            GoTime time => c.Clock.GetUtcNow() - time.Value,
            _ => TimeSpan.Zero,
        }));
    }

    private static GoTime TimeOf(FunctionContext c, object? date) => date switch
    {
        GoTime t => t,
        GoInt64 n => GoTime.FromUnix(n.Value),
        long n => GoTime.FromUnix(n),
        _ => c.AllowClock ? GoTime.Utc(c.Clock.GetUtcNow()) : throw new FunctionCallException(
            $"a date of type {GoTypes.TypeName(date)} means the current time, and reading the clock is disabled when rendering configurations"),
    };

    private static GoTime InZone(GoTime t, string zone)
    {
        if (zone is "UTC" or "Local" or "")
        {
            return GoTime.Utc(t.Value);
        }

        try
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var local = TimeZoneInfo.ConvertTime(t.Value, tz);
            return new GoTime(local, tz.IsDaylightSavingTime(local) ? tz.DaylightName : tz.StandardName);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return GoTime.Utc(t.Value);
        }
    }

    private static GoTime Shift(GoTime t, TimeSpan d) => new(t.Value + d, t.Zone);

    private static TimeSpan RoundToSecond(TimeSpan d) => TimeSpan.FromSeconds(Math.Round(d.TotalSeconds, MidpointRounding.AwayFromZero));

    private static bool TryParseTime(string layout, string value, out GoTime time, out string error)
    {
        try
        {
            time = GoTime.Parse(layout, value);
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            time = GoTime.Zero;
            error = e.Message;
            return false;
        }
    }
}
