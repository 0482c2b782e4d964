namespace Connectors.Modules.Templates;

/// <summary>What a function may consult during one render: limits for values it builds, and the clock.</summary>
internal sealed class FunctionContext(int maxValueLength, TimeProvider clock, bool allowClock = false)
{
    public static readonly FunctionContext Default = new(1 << 20, TimeProvider.System);

    /// <summary>Strings and lists a function builds may not exceed this (the output limit).</summary>
    public int MaxValueLength { get; } = maxValueLength;

    public TimeProvider Clock { get; } = clock;

    /// <summary>Whether functions may fall back to the current time (Go's time.Now()).</summary>
    public bool AllowClock { get; } = allowClock;

    public void CheckLength(long length)
    {
        if (length > MaxValueLength)
        {
            throw new FunctionCallException($"result of {length} elements exceeds the limit of {MaxValueLength}");
        }
    }
}
