using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>text/template's predefined functions (funcs.go), with Go's errors.</summary>
internal static class BuiltinFunctions
{
    private const string BadComparisonType = "invalid type for comparison";
    private const string BadComparison = "incompatible types for comparison";

    public static void Register(FunctionTable t)
    {
        Add(t, "and", [ParamKind.Value], ParamKind.Value, a => a[^1]);
        Add(t, "or", [ParamKind.Value], ParamKind.Value, a => a[^1]);
        Add(t, "not", [ParamKind.Value], null, a => !GoTypes.Truth(a[0]));
        Add(t, "len", [ParamKind.Value], null, a => Len(a[0]));
        Add(t, "index", [ParamKind.Value], ParamKind.Value, a => Index(Unwrap(a)[0], a.AsSpan(1)));
        Add(t, "slice", [ParamKind.Value], ParamKind.Value, a => throw new FunctionCallException("slice is provided by sprig"));
        Add(t, "print", [], ParamKind.Any, a => GoFormatter.Sprint(a));
        Add(t, "printf", [ParamKind.String], ParamKind.Any, a => GoFormatter.Sprintf((string)a[0]!, a.AsSpan(1)));
        Add(t, "println", [], ParamKind.Any, a =>
        {
            var sb = new StringBuilder();
            GoFormatter.Sprintln(sb, a);
            return sb.ToString();
        });
        Add(t, "html", [], ParamKind.Any, a => GoEscapes.Html(EvalArgs(a)));
        Add(t, "js", [], ParamKind.Any, a => GoEscapes.JavaScript(EvalArgs(a)));
        Add(t, "urlquery", [], ParamKind.Any, a => GoEscapes.QueryEscape(EvalArgs(a)));
        Add(t, "call", [ParamKind.Value], ParamKind.Value, a => throw new FunctionCallException(
            GoTypes.IsNil(a[0]) ? "call of nil" : $"non-function of type {GoTypes.TypeName(a[0])}"));
        Add(t, "eq", [ParamKind.Value], ParamKind.Value, a => Eq(Unwrap(a)[0], a.AsSpan(1)));
        Add(t, "ne", [ParamKind.Value, ParamKind.Value], null, a => !Eq(Unwrap(a)[0], a.AsSpan(1)));
        Add(t, "lt", [ParamKind.Value, ParamKind.Value], null, a => Less(Unwrap(a)[0], a[1]));
        Add(t, "le", [ParamKind.Value, ParamKind.Value], null, a => Less(Unwrap(a)[0], a[1]) || Eq(a[0], a.AsSpan(1)));
        Add(t, "gt", [ParamKind.Value, ParamKind.Value], null, a => !(Less(Unwrap(a)[0], a[1]) || Eq(a[0], a.AsSpan(1))));
        Add(t, "ge", [ParamKind.Value, ParamKind.Value], null, a => !Less(Unwrap(a)[0], a[1]));
    }

    /// <summary>Go's indirectInterface on every argument: a container's nil interface becomes no value.</summary>
    private static object?[] Unwrap(object?[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is GoNil)
            {
                args[i] = null;
            }
        }

        return args;
    }

    private static void Add(FunctionTable t, string name, ParamKind[] parameters, ParamKind? variadic, Func<object?[], object?> body) =>
        t.Add(new TemplateFunction(name, parameters, variadic, (_, a) => body(a)) { IsBuiltin = true });

    /// <summary>Go's evalArgs: a lone string as is, else fmt.Sprint with missing values as &lt;no value&gt;.</summary>
    private static string EvalArgs(object?[] args)
    {
        if (args.Length == 1 && args[0] is string s)
        {
            return s;
        }

        var printable = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            printable[i] = args[i] ?? "<no value>";
        }

        return GoFormatter.Sprint(printable);
    }

    private static long Len(object? item) => item switch
    {
        null => throw new FunctionCallException("reflect: call of reflect.Value.Type on zero Value"),
        GoNil => throw new FunctionCallException("len of nil pointer"),
        string s => Encoding.UTF8.GetByteCount(s),
        GoList l => l.Count,
        GoMap m => m.Count,
        GoTypedNil => throw new FunctionCallException("len of nil pointer"),
        _ => throw new FunctionCallException($"len of type {GoTypes.TypeName(item)}"),
    };

    private static object? Index(object? item, ReadOnlySpan<object?> indexes)
    {
        if (item is null)
        {
            throw new FunctionCallException("index of untyped nil");
        }

        foreach (var index in indexes)
        {
            switch (item)
            {
                case GoTypedNil:
                    throw new FunctionCallException("index of nil pointer");
                case GoList list:
                    var x = IndexArg(index, list.Count);
                    item = list.Items[x] ?? (list.ElemType == GoMap.AnyElem ? GoNil.Instance : null);
                    break;
                case string s:
                    var bytes = Encoding.UTF8.GetBytes(s);
                    item = bytes[IndexArg(index, bytes.Length)];
                    break;
                case GoMap map:
                    if (index is not string key)
                    {
                        throw new FunctionCallException(index is null
                            ? "value is nil; should be of type string"
                            : $"value has type {GoTypes.TypeName(index)}; should be string");
                    }

                    item = map.Entries.TryGetValue(key, out var v) ? v ?? GoNil.Instance : map.ZeroElem;
                    break;
                default:
                    throw new FunctionCallException($"can't index item of type {GoTypes.TypeName(item)}");
            }
        }

        return item;
    }

    private static int IndexArg(object? index, int length)
    {
        long x = index switch
        {
            long l => l,
            GoInt64 l => l.Value,
            byte b => b,
            null => throw new FunctionCallException("cannot index slice/array with nil"),
            _ => throw new FunctionCallException($"cannot index slice/array with type {GoTypes.TypeName(index)}"),
        };
        if (x < 0 || x >= length)
        {
            throw new FunctionCallException($"index out of range: {x}");
        }

        return (int)x;
    }

    private enum BasicKind
    {
        Invalid,
        Bool,
        Int,
        Uint,
        Float,
        String,
    }

    private static BasicKind KindOf(object? v) => v switch
    {
        bool => BasicKind.Bool,
        long or GoInt64 or GoNamedInt => BasicKind.Int,
        byte => BasicKind.Uint,
        double => BasicKind.Float,
        string => BasicKind.String,
        _ => BasicKind.Invalid,
    };

    private static long AsInt(object? v) => v switch { long l => l, GoInt64 l => l.Value, GoNamedInt n => n.Value, byte b => b, _ => 0 };

    /// <summary>Go's eq: true when arg1 equals any of the others; basic kinds only, ints of any size compare.</summary>
    public static bool Eq(object? arg1, ReadOnlySpan<object?> others)
    {
        if (others.Length == 0)
        {
            throw new FunctionCallException("missing argument for comparison");
        }

        var k1 = KindOf(arg1);
        foreach (var arg in others)
        {
            var k2 = KindOf(arg);
            bool truth;
            if (k1 != k2)
            {
                if ((k1, k2) is (BasicKind.Int, BasicKind.Uint) or (BasicKind.Uint, BasicKind.Int))
                {
                    truth = AsInt(arg1) == AsInt(arg);
                }
                else if (arg1 is not null && arg is not null)
                {
                    throw new FunctionCallException(BadComparison);
                }
                else
                {
                    truth = false;
                }
            }
            else
            {
                truth = k1 switch
                {
                    BasicKind.Bool => (bool)arg1! == (bool)arg!,
                    BasicKind.Int or BasicKind.Uint => AsInt(arg1) == AsInt(arg),
                    BasicKind.Float => (double)arg1! == (double)arg!,
                    BasicKind.String => (string)arg1! == (string)arg!,
                    _ => EqOther(arg1, arg),
                };
            }

            if (truth)
            {
                return true;
            }
        }

        return false;
    }

    private static bool EqOther(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is GoList or GoMap)
        {
            throw new FunctionCallException($"non-comparable type {GoFormatter.Sprintf("%s", [a])}: {GoTypes.TypeName(a)}");
        }

        if (b is GoList or GoMap)
        {
            throw new FunctionCallException($"non-comparable type {GoFormatter.Sprintf("%s", [b])}: {GoTypes.TypeName(b)}");
        }

        return GoTypes.TypeName(a) == GoTypes.TypeName(b) && (ReferenceEquals(a, b) || (a is GoTypedNil && b is GoTypedNil) || a.Equals(b));
    }

    /// <summary>Go's lt: basic kinds only; bools and nil are "invalid type for comparison".</summary>
    public static bool Less(object? a, object? b)
    {
        var k1 = KindOf(a);
        var k2 = KindOf(b);
        if (k1 is BasicKind.Invalid || k2 is BasicKind.Invalid)
        {
            throw new FunctionCallException(BadComparisonType);
        }

        if (k1 != k2)
        {
            if ((k1, k2) is (BasicKind.Int, BasicKind.Uint) or (BasicKind.Uint, BasicKind.Int))
            {
                return AsInt(a) < AsInt(b);
            }

            throw new FunctionCallException(BadComparison);
        }

        return k1 switch
        {
            BasicKind.Bool => throw new FunctionCallException(BadComparisonType),
            BasicKind.Int or BasicKind.Uint => AsInt(a) < AsInt(b),
            BasicKind.Float => (double)a! < (double)b!,
            _ => Utf8Order.Instance.Compare((string)a!, (string)b!) < 0,
        };
    }
}
