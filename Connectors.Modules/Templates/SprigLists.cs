namespace Connectors.Modules.Templates;

// Sprig's list functions (list.go). The non-must forms panic where the must forms return an error; both
// surface as "error calling NAME: ..." in a template.
internal static partial class SprigFunctions
{
    private static void RegisterLists(FunctionTable t)
    {
        Add(t, "list", [], A, a => new GoList([.. a]));
        Add(t, "tuple", [], A, a => new GoList([.. a]));
        Add(t, "append", [A, A], null, a => Push(a[0], a[1]));
        Add(t, "push", [A, A], null, a => Push(a[0], a[1]));
        Add(t, "mustAppend", [A, A], null, a => Push(a[0], a[1]));
        Add(t, "mustPush", [A, A], null, a => Push(a[0], a[1]));
        AddPair(t, "prepend", [A, A], null, a => new GoList([a[1], .. ListOf(a[0], "prepend on")]));
        AddPair(t, "first", [A], null, a => ListOf(a[0], "find first on") is { Length: > 0 } l ? l[0] : null);
        AddPair(t, "last", [A], null, a => ListOf(a[0], "find last on") is { Length: > 0 } l ? l[^1] : null);
        AddPair(t, "rest", [A], null, a => ListOf(a[0], "find rest on") is { Length: > 0 } l ? new GoList(l[1..]) : GoList.Nil);
        AddPair(t, "initial", [A], null, a => ListOf(a[0], "find initial on") is { Length: > 0 } l ? new GoList(l[..^1]) : GoList.Nil);
        AddPair(t, "reverse", [A], null, a => new GoList([.. ListOf(a[0], "find reverse on").Reverse()]));
        AddPair(t, "compact", [A], null, a => new GoList([.. ListOf(a[0], "compact on").Where(x => !Empty(x))]));
        AddPair(t, "uniq", [A], null, a => Uniq(ListOf(a[0], "find uniq on")));
        AddPair(t, "without", [A], A, a => new GoList([.. ListOf(a[0], "find without on").Where(x => !a[1..].Any(o => GoDeepEqual.Equal(o, x)))]));
        AddPair(t, "has", [A, A], null, a => a[1] is not null && ListOf(a[1], "find has on").Any(x => GoDeepEqual.Equal(a[0], x)));
        AddPair(t, "slice", [A], A, a => Slice(a[0], a[1..]));
        AddPair(t, "chunk", [I, A], null, a => Chunk((int)Int(a[0]), ListOf(a[1], "chunk")));
        Add(t, "concat", [], A, a => Concat(a));
        AddWithContext(t, "until", [I], null, (c, a) => UntilStep(c, 0, Int(a[0]), Int(a[0]) < 0 ? -1 : 1));
        AddWithContext(t, "untilStep", [I, I, I], null, (c, a) => UntilStep(c, Int(a[0]), Int(a[1]), Int(a[2])));
        AddWithContext(t, "seq", [], I, (c, a) => Seq(c, a));
    }

    private static object?[] ListOf(object? v, string what)
    {
        if (v is GoList list)
        {
            return list.Items;
        }

        throw new FunctionCallException(what == "chunk" || what == "compact on" || what == "prepend on"
            ? $"Cannot {what} type {KindForError(v)}"
            : $"Cannot {what} type {KindForError(v)}");
    }

    private static GoList Push(object? list, object? v)
    {
        if (list is GoList l)
        {
            return new GoList([.. l.Items, v]);
        }

        throw new FunctionCallException($"Cannot push on type {KindForError(list)}");
    }

    private static GoList Uniq(object?[] items)
    {
        var dest = new List<object?>();
        foreach (var item in items)
        {
            if (!dest.Any(d => GoDeepEqual.Equal(item, d)))
            {
                dest.Add(item);
            }
        }

        return new GoList([.. dest]);
    }

    private static GoList? Slice(object? list, object?[] indices)
    {
        if (list is not GoList l)
        {
            throw new FunctionCallException($"list should be type of slice or array but {KindForError(list)}");
        }

        if (l.Count == 0)
        {
            return null;
        }

        var start = indices.Length > 0 ? ToInt64(indices[0]) : 0;
        var end = indices.Length < 2 ? l.Count : ToInt64(indices[1]);
        if (start < 0 || end < start || end > l.Count)
        {
            throw new FunctionCallException("reflect.Value.Slice: slice index out of bounds");
        }

        return new GoList(l.Items[(int)start..(int)end], l.ElemType);
    }

    private static GoList Chunk(int size, object?[] items)
    {
        var l = items.Length;
        var cs = (int)Math.Floor((double)(l - 1) / size) + 1;
        if (cs < 0)
        {
            throw new FunctionCallException("runtime error: makeslice: len out of range");
        }

        var chunks = new object?[cs];
        for (var i = 0; i < cs; i++)
        {
            var clen = size;
            if (i == cs - 1)
            {
                clen = (int)Math.Floor((double)l % size);
                if (clen == 0)
                {
                    clen = size;
                }
            }

            var chunk = new object?[clen];
            for (var j = 0; j < clen; j++)
            {
                var ix = (i * size) + j;
                chunk[j] = ix < l ? items[ix] : throw new FunctionCallException($"reflect: slice index out of range");
            }

            chunks[i] = new GoList(chunk);
        }

        return new GoList(chunks, "[]interface {}");
    }

    private static GoList Concat(object?[] lists)
    {
        List<object?>? result = null;
        foreach (var list in lists)
        {
            if (list is not GoList l)
            {
                throw new FunctionCallException($"Cannot concat type {KindForError(list)} as list");
            }

            if (l.Count > 0)
            {
                result ??= [];
                result.AddRange(l.Items);
            }
        }

        return result is null ? GoList.Nil : new GoList([.. result]);
    }

    /// <summary>
    /// sprig's untilStep: start, start+step, ... while short of stop. The count is worked out in 128 bits before
    /// anything is built: <c>stop - start</c> and <c>i + step</c> overflow a long (seq passes <c>end + 1</c>, which wraps
    /// for <c>9223372036854775807</c>), and a wrapped bound once let <c>seq 97 -1000000000 9223372036854775807</c>
    /// pass the length check and loop for billions of steps (Go itself never ends there).
    /// </summary>
    private static GoList UntilStep(FunctionContext c, long start, long stop, long step)
    {
        Int128 count;
        if (stop < start)
        {
            if (step >= 0)
            {
                return new GoList([], "int");
            }

            count = ((Int128)start - stop - 1) / -(Int128)step + 1;
        }
        else
        {
            if (step <= 0 || stop == start)
            {
                return new GoList([], "int");
            }

            count = ((Int128)stop - start - 1) / step + 1;
        }

        c.CheckLength(count > long.MaxValue ? long.MaxValue : (long)count);
        var items = new object?[(int)count];
        for (var k = 0; k < items.Length; k++)
        {
            items[k] = (long)(start + ((Int128)step * k));
        }

        return new GoList(items, "int");
    }

    private static string Seq(FunctionContext c, object?[] p)
    {
        GoList list;
        switch (p.Length)
        {
            case 1:
                {
                    var end = Int(p[0]);
                    var inc = end < 1 ? -1 : 1;
                    list = UntilStep(c, 1, end + inc, inc);
                    break;
                }

            case 2:
                {
                    var (start, end) = (Int(p[0]), Int(p[1]));
                    var step = end < start ? -1 : 1;
                    list = UntilStep(c, start, end + step, step);
                    break;
                }

            case 3:
                {
                    var (start, step, end) = (Int(p[0]), Int(p[1]), Int(p[2]));
                    var inc = 1L;
                    if (end < start)
                    {
                        inc = -1;
                        if (step > 0)
                        {
                            return string.Empty;
                        }
                    }

                    list = UntilStep(c, start, end + inc, step);
                    break;
                }

            default:
                return string.Empty;
        }

        return string.Join(' ', list.Items.Select(x => ((long)x!).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
