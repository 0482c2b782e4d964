namespace Connectors.Modules.Templates;

/// <summary>A Go uint64 (semver's Major/Minor/Patch); prints as a decimal number.</summary>
internal sealed record GoUint64(ulong Value) : IGoStringer
{
    public string GoTypeName => "uint64";

    public string GoString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
