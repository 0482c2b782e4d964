namespace Connectors.Modules.Templates;

/// <summary>Go type names, kinds and truth of the values a template handles.</summary>
internal static class GoTypes
{
    /// <summary>The value's Go type as %T prints it.</summary>
    public static string TypeName(object? v) => v switch
    {
        null or GoNil => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        GoInt64 => "int64",
        double => "float64",
        byte => "uint8",
        GoList l => l.TypeName,
        GoMap m => m.TypeName,
        GoStruct s => s.FullTypeName,
        GoTypedNil n => n.TypeName,
        IGoStringer g => g.GoTypeName,
        _ => v.GetType().Name,
    };

    /// <summary>reflect.Kind's name (sprig kindOf): string, int, int64, float64, slice, map, ptr, struct, invalid ...</summary>
    public static string KindName(object? v) => v switch
    {
        null or GoNil => "invalid",
        string => "string",
        bool => "bool",
        long => "int",
        GoInt64 => "int64",
        double => "float64",
        byte => "uint8",
        GoList => "slice",
        GoMap => "map",
        GoStruct s => s.Pointer ? "ptr" : "struct",
        GoTypedNil => "ptr",
        IGoStringer g => g.GoTypeName.StartsWith('*') ? "ptr" : "struct",
        _ => "invalid",
    };

    /// <summary>text/template's isTrue; ok is false for values that have no truth (none of ours).</summary>
    public static bool Truth(object? v) => v switch
    {
        null or GoNil or GoTypedNil => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        GoInt64 l => l.Value != 0,
        double d => d != 0,
        byte u => u != 0,
        GoList l => l.Count > 0,
        GoMap m => m.Count > 0,
        _ => true,
    };

    public static bool IsNil(object? v) => v is null or GoNil or GoTypedNil;

    /// <summary>Collapses a container's nil interface to the "no value" of a finished pipeline stage.</summary>
    public static object? Collapse(object? v) => v is GoNil ? null : v;
}
