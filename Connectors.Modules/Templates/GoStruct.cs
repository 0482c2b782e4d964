namespace Connectors.Modules.Templates;

/// <summary>
/// A Go struct value (or pointer to struct), used by the probe data view. Fields keep declaration order for
/// printing; fields of an embedded struct are promoted, as in Go.
/// </summary>
internal sealed class GoStruct(string typeName, bool pointer, IReadOnlyList<GoField> fields)
{
    public string TypeName { get; } = typeName;

    public bool Pointer { get; } = pointer;

    public IReadOnlyList<GoField> Fields { get; } = fields;

    public string FullTypeName => Pointer ? "*" + TypeName : TypeName;

    public bool TryGetField(string name, out object? value)
    {
        foreach (var f in Fields)
        {
            if (f.Name == name)
            {
                value = f.Value;
                return true;
            }
        }

        foreach (var f in Fields)
        {
            if (f.Embedded && f.Value is GoStruct inner && inner.TryGetField(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }
}
