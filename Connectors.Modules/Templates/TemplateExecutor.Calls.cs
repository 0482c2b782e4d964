namespace Connectors.Modules.Templates;

// Fields, function calls and argument checks (exec.go's evalField, evalCall, evalArg and validateType).
internal sealed partial class TemplateExecutor
{
    private object? EvalFieldChain(object? dot, object? receiver, string[] ident, int start, List<TemplateNode>? args, object? final, bool receiverIsInterface = false)
    {
        var n = ident.Length;
        for (var i = start; i < n - 1; i++)
        {
            var next = EvalField(ident[i], null, Missing, receiver, receiverIsInterface);
            receiverIsInterface = receiver is GoMap { ElemType: GoMap.AnyElem };
            receiver = next;
        }

        return EvalField(ident[n - 1], args, final, receiver, receiverIsInterface);
    }

    private object? EvalField(string fieldName, List<TemplateNode>? args, object? final, object? receiver, bool receiverIsInterface)
    {
        var hasArgs = (args is not null && args.Count > 1) || final != Missing;
        switch (receiver)
        {
            case null:
                if (_settings.MissingKey == MissingKeyMode.Error)
                {
                    throw Error($"nil data; no entry for key {GoQuote.Quote(fieldName)}");
                }

                return null;
            case GoNil:
                throw Error($"nil pointer evaluating interface {{}}.{fieldName}");
            case GoTypedNil typedNil:
                throw Error($"nil pointer evaluating {typedNil.TypeName}.{fieldName}");
            case GoMap map:
                if (hasArgs)
                {
                    throw Error($"{fieldName} is not a method but has arguments");
                }

                if (map.Entries.TryGetValue(fieldName, out var value))
                {
                    return value ?? GoNil.Instance;
                }

                return _settings.MissingKey switch
                {
                    MissingKeyMode.Zero => map.ZeroElem,
                    MissingKeyMode.Error => throw Error($"map has no entry for key {GoQuote.Quote(fieldName)}"),
                    _ => null,
                };
            case IGoMethods methods when methods.HasMethod(fieldName):
                return CallMethod(methods, fieldName, args, final);
            case GoStruct st:
                if (st.TryGetField(fieldName, out var field))
                {
                    if (hasArgs)
                    {
                        throw Error($"{fieldName} has arguments but cannot be invoked as function");
                    }

                    return field ?? GoNil.Instance;
                }

                break;
        }

        throw Error($"can't evaluate field {fieldName} in type {(receiverIsInterface ? "interface {}" : GoTypes.TypeName(receiver))}");
    }

    private object? CallMethod(IGoMethods methods, string name, List<TemplateNode>? args, object? final)
    {
        var node = _node;
        var argv = new List<object?>();
        if (args is not null)
        {
            for (var i = 1; i < args.Count; i++)
            {
                argv.Add(EvalArg(null, ParamKind.Any, args[i]));
            }
        }

        if (final != Missing)
        {
            argv.Add(GoTypes.Collapse(final));
        }

        _node = node;
        try
        {
            return methods.CallMethod(name, [.. argv]);
        }
        catch (FunctionCallException e)
        {
            throw Error($"error calling {name}: {e.Message}");
        }
    }

    private object? EvalFunction(object? dot, IdentifierNode ident, TemplateNode cmd, List<TemplateNode>? args, object? final)
    {
        _node = ident;
        var fn = ident.Function!;
        return EvalCall(dot, fn, cmd, args, final);
    }

    private object? EvalCall(object? dot, TemplateFunction fn, TemplateNode cmd, List<TemplateNode>? args, object? final)
    {
        var argCount = args is null ? 0 : args.Count - 1;
        var numIn = argCount + (final != Missing ? 1 : 0);
        var numParams = fn.Parameters.Length;
        if (fn.Variadic is not null)
        {
            if (numIn < numParams)
            {
                throw Error($"wrong number of args for {fn.Name}: want at least {numParams} got {argCount}");
            }
        }
        else if (numIn != numParams)
        {
            throw Error($"wrong number of args for {fn.Name}: want {numParams} got {numIn}");
        }

        if (fn.IsBuiltin && fn.Name is "and" or "or")
        {
            return EvalAndOr(dot, fn.Name == "or", args!, final);
        }

        var argv = new object?[numIn];
        for (var i = 0; i < argCount; i++)
        {
            argv[i] = EvalArg(dot, ParamAt(fn, i), args![i + 1]);
        }

        if (final != Missing)
        {
            argv[numIn - 1] = ValidateType(final, ParamAt(fn, numIn - 1));
        }

        _node = cmd;
        if (fn.Effect != FunctionEffect.None && !_settings.AllowedEffects.Contains(fn.Effect))
        {
            throw Error($"error calling {fn.Name}: {fn.Name} is disabled when rendering configurations (it reads the {EffectName(fn.Effect)})");
        }

        try
        {
            return fn.Body(Functions, argv);
        }
        catch (FunctionCallException e)
        {
            _node = cmd;
            throw Error($"error calling {fn.Name}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException or KeyNotFoundException or NullReferenceException)
        {
            _node = cmd;
            throw Error($"error calling {fn.Name}: {e.Message}");
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException e)
        {
            // .NET backtracks where Go's RE2 does not: a pattern like ^(a+)+$ on "aaaa…b" runs into the match timeout,
            // which must end as this render's error, not as an exception out of Render.
            _node = cmd;
            throw Error($"error calling {fn.Name}: regexp: matching took longer than {e.MatchTimeout.TotalSeconds:0.###} s (the pattern backtracks too much on this input)");
        }
    }

    private static string EffectName(FunctionEffect effect) => effect switch
    {
        FunctionEffect.Environment => "process environment",
        FunctionEffect.Network => "network",
        _ => "clock or random numbers",
    };

    private static ParamKind ParamAt(TemplateFunction fn, int i) =>
        i < fn.Parameters.Length ? fn.Parameters[i] : fn.Variadic!.Value;

    private object? EvalAndOr(object? dot, bool isOr, List<TemplateNode> args, object? final)
    {
        object? v = null;
        for (var i = 1; i < args.Count; i++)
        {
            v = EvalArg(dot, ParamKind.Value, args[i]);
            if (GoTypes.Truth(v) == isOr)
            {
                return v;
            }
        }

        if (final != Missing)
        {
            v = GoTypes.Collapse(final);
        }

        return v;
    }

    private object? EvalArg(object? dot, ParamKind kind, TemplateNode n, bool allowCollapse = true)
    {
        _node = n;
        switch (n)
        {
            case DotNode:
                return ValidateType(dot, kind);
            case NilNode:
                return CanBeNil(kind) ? null : throw Error($"cannot assign nil to {KindName(kind)}");
            case FieldNode field:
                return ValidateType(EvalFieldChain(dot, dot, field.Ident, 0, [n], Missing, _dotIsInterface), kind, allowCollapse);
            case VariableNode variable:
                return ValidateType(EvalVariable(dot, variable, null, Missing), kind, allowCollapse);
            case PipeNode pipe:
                return ValidateType(EvalPipeline(dot, pipe), kind);
            case IdentifierNode ident:
                return ValidateType(EvalFunction(dot, ident, ident, null, Missing), kind);
            case ChainNode chain:
                return ValidateType(EvalChain(dot, chain, null, Missing), kind, allowCollapse);
        }

        switch (kind)
        {
            case ParamKind.Bool:
                return n is BoolNode b ? b.Value : throw Error($"expected bool; found {n}");
            case ParamKind.Float64:
                return n is NumberNode { IsFloat: true } f ? f.Float64 : throw Error($"expected float; found {n}");
            case ParamKind.Int:
                return n is NumberNode { IsInt: true } i ? i.Int64 : throw Error($"expected integer; found {n}");
            case ParamKind.Int64:
                return n is NumberNode { IsInt: true } i64 ? new GoInt64(i64.Int64) : throw Error($"expected integer; found {n}");
            case ParamKind.Uint32:
                return n is NumberNode { IsUint: true, Uint64: <= uint.MaxValue } u ? (long)u.Uint64 : throw Error($"expected unsigned integer; found {n}");
            case ParamKind.String:
                return n is StringNode s ? s.Text : throw Error($"expected string; found {n}");
            case ParamKind.Any or ParamKind.Value:
                return n switch
                {
                    BoolNode lit => lit.Value,
                    NumberNode num => IdealConstant(num),
                    StringNode text => text.Text,
                    _ => throw Error($"can't handle {n} for arg of type {KindName(kind)}"),
                };
            default:
                throw Error($"can't handle {n} for arg of type {KindName(kind)}");
        }
    }

    private static bool CanBeNil(ParamKind kind) => kind is ParamKind.Any or ParamKind.Value or ParamKind.Map or ParamKind.List;

    private object? ValidateType(object? value, ParamKind kind, bool allowCollapse = true)
    {
        if (value is null)
        {
            return CanBeNil(kind) ? null : throw Error($"invalid value; expected {KindName(kind)}");
        }

        if (kind is ParamKind.Value)
        {
            return value;
        }

        if (kind is ParamKind.Any)
        {
            return allowCollapse ? GoTypes.Collapse(value) : value;
        }

        var ok = kind switch
        {
            ParamKind.String => value is string,
            ParamKind.Int => value is long,
            ParamKind.Int64 => value is GoInt64,
            ParamKind.Float64 => value is double,
            ParamKind.Bool => value is bool,
            ParamKind.Map => value is GoMap { ElemType: GoMap.AnyElem },
            ParamKind.List => value is GoList { ElemType: GoMap.AnyElem },
            ParamKind.Time => value is GoTime,
            ParamKind.Certificate => value is GoStruct { TypeName: "sprig.certificate" },
            _ => false,
        };
        if (!ok)
        {
            throw Error($"wrong type for value; expected {KindName(kind)}; got {(value is GoNil ? "interface {}" : GoTypes.TypeName(value))}");
        }

        return value;
    }

    private static string KindName(ParamKind kind) => kind switch
    {
        ParamKind.Any => "interface {}",
        ParamKind.Value => "reflect.Value",
        ParamKind.String => "string",
        ParamKind.Int => "int",
        ParamKind.Int64 => "int64",
        ParamKind.Uint32 => "uint32",
        ParamKind.Float64 => "float64",
        ParamKind.Bool => "bool",
        ParamKind.Map => "map[string]interface {}",
        ParamKind.List => "[]interface {}",
        ParamKind.Certificate => "sprig.certificate",
        _ => "time.Time",
    };
}
