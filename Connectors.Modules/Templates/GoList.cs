namespace Connectors.Modules.Templates;

/// <summary>A Go slice: <c>[]interface {}</c> by default, or a typed slice such as <c>[]string</c>.</summary>
internal sealed class GoList(object?[] items, string elemType = GoMap.AnyElem)
{
    public static readonly GoList Empty = new([]);

    public object?[] Items { get; } = items;

    public string ElemType { get; } = elemType;

    public int Count => Items.Length;

    public string TypeName => "[]" + ElemType;

    public static GoList Strings(IEnumerable<string> items) => new([.. items], "string");
}
