namespace Connectors.Modules.Templates;

// Sprig's dict functions (dict.go) and the mergo merge rules behind merge/mergeOverwrite.
internal static partial class SprigFunctions
{
    private static void RegisterDicts(FunctionTable t)
    {
        Add(t, "dict", [], A, a => Dict(a));
        Add(t, "get", [M, S], null, a => a[0] is GoMap m && m.Entries.TryGetValue(Str(a[1]), out var v) ? v ?? GoNil.Instance : string.Empty);
        Add(t, "set", [M, S, A], null, a => MapOrPanic(a[0]).Also(m => m.Set(Str(a[1]), a[2])));
        Add(t, "unset", [M, S], null, a => a[0] is GoMap m ? m.Also(x => x.Remove(Str(a[1]))) : null);
        Add(t, "hasKey", [M, S], null, a => a[0] is GoMap m && m.Entries.ContainsKey(Str(a[1])));
        Add(t, "pluck", [S], M, a => new GoList([.. a[1..].OfType<GoMap>().Where(m => m.Entries.ContainsKey(Str(a[0]))).Select(m => m.Entries[Str(a[0])])]));
        Add(t, "keys", [], M, a => GoList.Strings(a.OfType<GoMap>().SelectMany(m => m.SortedKeys)));
        Add(t, "pick", [M], S, a => Pick(a[0] as GoMap, a[1..].Cast<string>(), keep: true));
        Add(t, "omit", [M], S, a => Pick(a[0] as GoMap, a[1..].Cast<string>(), keep: false));
        Add(t, "values", [M], null, a => new GoList(a[0] is GoMap m ? [.. m.SortedKeys.Select(k => m.Entries[k])] : []));
        AddPair(t, "merge", [M], M, a => MergeAll(a, overwrite: false));
        AddPair(t, "mergeOverwrite", [M], M, a => MergeAll(a, overwrite: true));
        AddPair(t, "deepCopy", [A], null, a => a[0] is null ? throw new FunctionCallException("reflect: call of reflect.Value.Type on zero Value") : DeepCopy(a[0]));
        Add(t, "dig", [], A, a => Dig(a));
    }

    private static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }

    private static GoMap MapOrPanic(object? v) => v as GoMap ?? throw new FunctionCallException("assignment to entry in nil map");

    private static GoMap Dict(object?[] v)
    {
        var map = new GoMap();
        for (var i = 0; i < v.Length; i += 2)
        {
            map.Set(StrVal(v[i]), i + 1 < v.Length ? v[i + 1] : string.Empty);
        }

        return map;
    }

    private static GoMap Pick(GoMap? dict, IEnumerable<string> keys, bool keep)
    {
        var res = new GoMap();
        if (dict is null)
        {
            return res;
        }

        var set = keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (k, v) in dict.Entries)
        {
            if (set.Contains(k) == keep)
            {
                res.Set(k, v);
            }
        }

        return res;
    }

    private static GoMap MergeAll(object?[] a, bool overwrite)
    {
        if (a[0] is not GoMap dst)
        {
            dst = new GoMap();
        }

        foreach (var src in a[1..].OfType<GoMap>())
        {
            MergeInto(dst, src, overwrite);
        }

        return dst;
    }

    private static bool IsEmptyValue(object? v) => Empty(v);

    /// <summary>mergo.Merge / MergeWithOverwrite on map[string]interface{} (deepMerge's map case).</summary>
    internal static void MergeInto(GoMap dst, GoMap src, bool overwrite)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        foreach (var key in src.SortedKeys)
        {
            var sv = src.Entries[key];
            var hasDst = dst.Entries.TryGetValue(key, out var dv);
            if (sv is null)
            {
                if (overwrite)
                {
                    dst.Set(key, null);
                }

                continue;
            }

            if (sv is GoMap srcMap && hasDst && dv is GoMap dstMap)
            {
                MergeInto(dstMap, srcMap, overwrite);
            }
            else if (sv is GoList srcList)
            {
                var dstSlice = hasDst && dv is not null ? dv : new GoList([], srcList.ElemType);
                if (overwrite || dst.Count == 0)
                {
                    dstSlice = srcList;
                }

                dst.Set(key, dstSlice);
            }

            if (hasDst && !IsEmptyValue(dv) && sv is GoMap or GoList)
            {
                continue;
            }

            if (overwrite || !hasDst || IsEmptyValue(dv))
            {
                dst.Set(key, sv);
            }
        }
    }

    internal static object? DeepCopy(object? v)
    {
        // sprig's set can make a map hold itself ({{ set . "a" . | deepCopy }}): without this check the copy recursed
        // until the stack overflowed and took the process down; now the render fails ("template nesting too deep").
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        return v switch
        {
            GoMap m => new GoMap(m.Entries.ToDictionary(e => e.Key, e => DeepCopy(e.Value), StringComparer.Ordinal), m.ElemType),
            GoList l => new GoList([.. l.Items.Select(DeepCopy)], l.ElemType, l.IsNil),
            _ => v,
        };
    }

    private static object? Dig(object?[] ps)
    {
        if (ps.Length < 3)
        {
            throw new FunctionCallException("dig needs at least three arguments");
        }

        var dict = ps[^1] as GoMap ?? throw new FunctionCallException($"interface conversion: interface {{}} is {GoTypes.TypeName(ps[^1])}, not map[string]interface {{}}");
        var def = ps[^2];
        object? current = dict;
        for (var i = 0; i < ps.Length - 2; i++)
        {
            var key = ps[i] as string ?? throw new FunctionCallException($"interface conversion: interface {{}} is {GoTypes.TypeName(ps[i])}, not string");
            var map = current as GoMap ?? throw new FunctionCallException($"interface conversion: interface {{}} is {GoTypes.TypeName(current)}, not map[string]interface {{}}");
            if (!map.Entries.TryGetValue(key, out current))
            {
                return def;
            }
        }

        return current;
    }
}
