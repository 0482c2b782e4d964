namespace Connectors.Modules.Templates;

/// <summary>A Go slice: <c>[]interface {}</c> by default, or a typed slice such as <c>[]string</c>.</summary>
internal sealed class GoList(object?[] items, string elemType = GoMap.AnyElem, bool isNil = false)
{
    public static readonly GoList Empty = new([]);

    /// <summary>A nil <c>[]interface {}</c> (what sprig's concat returns with nothing to concatenate): empty like
    /// <see cref="Empty"/>, but JSON <c>null</c> and <c>%#v</c> <c>[]interface {}(nil)</c>.</summary>
    public static readonly GoList Nil = new([], GoMap.AnyElem, isNil: true);

    public bool IsNil { get; } = isNil;

    public object?[] Items { get; } = items;

    public string ElemType { get; } = elemType;

    public int Count => Items.Length;

    public string TypeName => "[]" + ElemType;

    public static GoList Strings(IEnumerable<string> items) => new([.. items], "string");
}
