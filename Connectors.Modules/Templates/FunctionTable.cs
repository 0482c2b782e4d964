namespace Connectors.Modules.Templates;

/// <summary>The functions a template may call: text/template builtins plus sprig's TxtFuncMap.</summary>
internal sealed class FunctionTable
{
    private readonly Dictionary<string, TemplateFunction> _functions = new(StringComparer.Ordinal);

    /// <summary>Builtins and every sprig 3.2.3 function (sprig's slice replaces the builtin, as in Go).</summary>
    public static FunctionTable Standard { get; } = CreateStandard();

    public IEnumerable<string> Names => _functions.Keys;

    public TemplateFunction? Find(string name) => _functions.GetValueOrDefault(name);

    public void Add(TemplateFunction function) => _functions[function.Name] = function;

    private static FunctionTable CreateStandard()
    {
        var table = new FunctionTable();
        BuiltinFunctions.Register(table);
        SprigFunctions.Register(table);
        return table;
    }
}
