namespace Connectors.Modules.Templates;

/// <summary>A Go integer of a named type with a String method (time.Month, time.Weekday, time.Duration): fmt prints
/// the text, <c>%d</c> and comparisons see the number.</summary>
internal sealed record GoNamedInt(long Value, string GoTypeName, string Text) : IGoStringer, IGoMethods
{
    public string GoString() => Text;

    public bool HasMethod(string name) => name == "String" || (GoTypeName == "time.Duration" && name is "Hours" or "Minutes" or "Seconds"
        or "Milliseconds" or "Microseconds" or "Nanoseconds");

    public object? CallMethod(string name, object?[] args)
    {
        GoMethodArgs.Expect(name, args, 0);
        return name switch
        {
            "Hours" => Value / 3.6e12,
            "Minutes" => Value / 6e10,
            "Seconds" => Value / 1e9,
            "Milliseconds" => new GoInt64(Value / 1_000_000),
            "Microseconds" => new GoInt64(Value / 1_000),
            "Nanoseconds" => new GoInt64(Value),
            _ => Text,
        };
    }

    public static GoNamedInt Duration(long nanoseconds) =>
        new(nanoseconds, "time.Duration", GoDuration.Format(nanoseconds));
}
