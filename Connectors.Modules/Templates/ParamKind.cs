namespace Connectors.Modules.Templates;

/// <summary>
/// The Go type of a function parameter. Arguments are checked as text/template checks them against the
/// function's reflect signature: a JSON number (float64) passed where Go wants an int is an error.
/// </summary>
internal enum ParamKind
{
    /// <summary>interface{}: anything; literals become Go's ideal constants (int, float64, string, bool).</summary>
    Any,

    /// <summary>reflect.Value (the builtins eq, index, len, and, or, not): anything, no conversion.</summary>
    Value,
    String,
    Int,
    Int64,
    Uint32,
    Float64,
    Bool,

    /// <summary>map[string]interface {}.</summary>
    Map,

    /// <summary>[]interface {}.</summary>
    List,

    /// <summary>time.Time.</summary>
    Time,

    /// <summary>sprig's certificate struct (from genCA and friends).</summary>
    Certificate,
}
