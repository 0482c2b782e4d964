namespace Connectors.Modules.Templates;

/// <summary>Argument checks of Go methods called from a template, worded as text/template words them.</summary>
internal static class GoMethodArgs
{
    public static void Expect(string method, object?[] args, int count)
    {
        if (args.Length != count)
        {
            throw new FunctionCallException($"wrong number of args for {method}: want {count} got {args.Length}");
        }
    }

    public static T Arg<T>(object?[] args, int index, string goType)
    {
        return args[index] is T value
            ? value
            : throw new FunctionCallException($"wrong type for value; expected {goType}; got {GoTypes.TypeName(args[index])}");
    }

    public static long Int(object?[] args, int index, string goType) => args[index] switch
    {
        long l => l,
        GoInt64 l => l.Value,
        GoNamedInt n => n.Value,
        _ => throw new FunctionCallException($"wrong type for value; expected {goType}; got {GoTypes.TypeName(args[index])}"),
    };
}
