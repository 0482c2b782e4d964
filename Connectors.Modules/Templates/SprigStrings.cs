using System.Text;

namespace Connectors.Modules.Templates;

// Sprig's string functions (strings.go plus the goutils and xstrings helpers it wires in).
internal static partial class SprigFunctions
{
    private static void RegisterStrings(FunctionTable t)
    {
        Add(t, "hello", [], null, _ => "Hello!");
        Add(t, "abbrev", [I, S], null, a => Abbrev(Int(a[0]), Str(a[1])));
        Add(t, "abbrevboth", [I, I, S], null, a => AbbrevBoth(Int(a[0]), Int(a[1]), Str(a[2])));
        Add(t, "trunc", [I, S], null, a => Trunc(Int(a[0]), Str(a[1])));
        Add(t, "trim", [S], null, a => Str(a[0]).Trim());
        Add(t, "upper", [S], null, a => GoCase.ToUpper(Str(a[0])));
        Add(t, "lower", [S], null, a => GoCase.ToLower(Str(a[0])));
        Add(t, "title", [S], null, a => Title(Str(a[0])));
        Add(t, "untitle", [S], null, a => Untitle(Str(a[0])));
        Add(t, "substr", [I, I, S], null, a => Substring(Int(a[0]), Int(a[1]), Str(a[2])));
        AddWithContext(t, "repeat", [I, S], null, (c, a) => Repeat(c, Str(a[1]), Int(a[0])));
        Add(t, "trimall", [S, S], null, a => Str(a[1]).Trim(Str(a[0]).ToCharArray()));
        Add(t, "trimAll", [S, S], null, a => Str(a[1]).Trim(Str(a[0]).ToCharArray()));
        Add(t, "trimSuffix", [S, S], null, a => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[..^Str(a[0]).Length] : Str(a[1]));
        Add(t, "trimPrefix", [S, S], null, a => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[Str(a[0]).Length..] : Str(a[1]));
        Add(t, "nospace", [S], null, a => NoSpace(Str(a[0])));
        Add(t, "initials", [S], null, a => Initials(Str(a[0])));
        Add(t, "swapcase", [S], null, a => SwapCase(Str(a[0])));
        Add(t, "snakecase", [S], null, a => CaseWords.ToDelimited(Str(a[0]), '_'));
        Add(t, "kebabcase", [S], null, a => CaseWords.ToDelimited(Str(a[0]), '-'));
        Add(t, "camelcase", [S], null, a => CaseWords.ToCamel(Str(a[0])));
        Add(t, "wrap", [I, S], null, a => WrapCustom(Str(a[1]), (int)Int(a[0]), "\n", false));
        Add(t, "wrapWith", [I, S, S], null, a => WrapCustom(Str(a[2]), (int)Int(a[0]), Str(a[1]), true));
        Add(t, "contains", [S, S], null, a => Str(a[1]).Contains(Str(a[0]), StringComparison.Ordinal));
        Add(t, "hasPrefix", [S, S], null, a => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal));
        Add(t, "hasSuffix", [S, S], null, a => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal));
        Add(t, "quote", [], A, a => string.Join(' ', a.Where(x => x is not null).Select(x => GoQuote.Quote(StrVal(x)))));
        Add(t, "squote", [], A, a => string.Join(' ', a.Where(x => x is not null).Select(x => "'" + GoFormatter.Sprint([x]) + "'")));
        Add(t, "cat", [], A, a => Cat(a));
        AddWithContext(t, "indent", [I, S], null, (c, a) => Indent(c, (int)Int(a[0]), Str(a[1])));
        AddWithContext(t, "nindent", [I, S], null, (c, a) => "\n" + Indent(c, (int)Int(a[0]), Str(a[1])));
        Add(t, "replace", [S, S, S], null, a => Str(a[0]).Length == 0 ? ReplaceEmpty(Str(a[2]), Str(a[1])) : Str(a[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal));
        Add(t, "plural", [S, S, I], null, a => Int(a[2]) == 1 ? a[0] : a[1]);
        Add(t, "toString", [A], null, a => StrVal(a[0]));
        Add(t, "split", [S, S], null, a => SplitMap(GoSplit(Str(a[1]), Str(a[0]), -1)));
        Add(t, "splitn", [S, I, S], null, a => SplitMap(GoSplit(Str(a[2]), Str(a[0]), (int)Int(a[1]))));
        Add(t, "splitList", [S, S], null, a => GoList.Strings(GoSplit(Str(a[1]), Str(a[0]), -1)));
        Add(t, "toStrings", [A], null, a => GoList.Strings(StrSlice(a[0])));
        Add(t, "join", [S, A], null, a => string.Join(Str(a[0]), StrSlice(a[1])));
        Add(t, "sortAlpha", [A], null, a => SortAlpha(a[0]));
        Add(t, "shuffle", [S], null, a => Shuffle(Str(a[0])), FunctionEffect.Nondeterministic);
    }

    // Go's unicode.IsSpace and .NET's char.IsWhiteSpace agree (Latin-1 spaces, Z categories), so Trim() is TrimSpace.
    private static string NoSpace(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.Length == s.Length ? s : sb.ToString();
    }

    private static string ByteSlice(string s, int start, int end)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (end > bytes.Length)
        {
            throw new FunctionCallException($"runtime error: slice bounds out of range [:{end}] with length {bytes.Length}");
        }

        if (start < 0 || start > end)
        {
            throw new FunctionCallException($"runtime error: slice bounds out of range [{start}:{end}]");
        }

        return Encoding.UTF8.GetString(bytes, start, end - start);
    }

    private static string Trunc(long c, string s)
    {
        var len = Encoding.UTF8.GetByteCount(s);
        if (c < 0 && len + c > 0)
        {
            return ByteSlice(s, len + (int)c, len);
        }

        if (c >= 0 && len > c)
        {
            return ByteSlice(s, 0, (int)c);
        }

        return s;
    }

    private static string Substring(long start, long end, string s)
    {
        var len = Encoding.UTF8.GetByteCount(s);
        if (start < 0)
        {
            return ByteSlice(s, 0, (int)Math.Min(end, int.MaxValue));
        }

        if (end < 0 || end > len)
        {
            return ByteSlice(s, (int)Math.Min(start, int.MaxValue), len);
        }

        return ByteSlice(s, (int)start, (int)end);
    }

    private static string Repeat(FunctionContext c, string s, long count)
    {
        if (count < 0)
        {
            throw new FunctionCallException("strings: negative Repeat count");
        }

        // As Go's strings.Repeat: an empty string repeats to itself however often; a length past int64 is an overflow
        // (s.Length * count used to wrap, pass the length check, and give "" for repeat 4611686018427387904 "abcd").
        if (s.Length == 0 || count == 0)
        {
            return string.Empty;
        }

        if (s.Length > long.MaxValue / count)
        {
            throw new FunctionCallException("strings: Repeat output length overflow");
        }

        c.CheckLength(s.Length * count);
        return new StringBuilder(s.Length * (int)count).Insert(0, s, (int)count).ToString();
    }

    /// <summary>strings.Title: the first rune of each word to title case (ǆ → ǅ), words split as Go's isSeparator.</summary>
    private static string Title(string s)
    {
        var prev = (int)' ';
        return GoCase.Map(s, r =>
        {
            var mapped = IsTitleSeparator(prev) ? GoCase.ToTitle(r) : r;
            prev = r;
            return mapped;
        });
    }

    private static bool IsTitleSeparator(int r)
    {
        if (r < 0x80)
        {
            return !(char.IsAsciiLetterOrDigit((char)r) || r == '_');
        }

        return !GoCase.IsLetter(r) && !GoCase.IsDigit(r) && GoCase.IsSpace(r);
    }

    /// <summary>goutils.Uncapitalize: the first rune after each space to lower case.</summary>
    private static string Untitle(string s)
    {
        var next = true;
        return GoCase.Map(s, r =>
        {
            if (GoCase.IsSpace(r))
            {
                next = true;
                return r;
            }

            if (!next)
            {
                return r;
            }

            next = false;
            return GoCase.ToLower(r);
        });
    }

    private static string Initials(string s)
    {
        // goutils walks bytes: a multi-byte first letter yields its first byte as a Latin-1 rune.
        var sb = new StringBuilder();
        var gap = true;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsWhiteSpace(c))
            {
                gap = true;
            }
            else if (gap)
            {
                sb.Append(c);
                gap = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>goutils.SwapCase: upper and title runes to lower; lower runes to title case after a space, else upper.</summary>
    private static string SwapCase(string s)
    {
        var whitespace = true;
        return GoCase.Map(s, r =>
        {
            if (GoCase.IsUpper(r) || GoCase.IsTitle(r))
            {
                whitespace = false;
                return GoCase.ToLower(r);
            }

            if (GoCase.IsLower(r))
            {
                var mapped = whitespace ? GoCase.ToTitle(r) : GoCase.ToUpper(r);
                whitespace = false;
                return mapped;
            }

            whitespace = GoCase.IsSpace(r);
            return r;
        });
    }

    private static string Cat(object?[] args)
    {
        var values = args.Where(x => x is not null).ToArray();
        var format = string.Join(' ', Enumerable.Repeat("%v", values.Length));
        return GoFormatter.Sprintf(format, values);
    }

    private static string Indent(FunctionContext c, int spaces, string v)
    {
        if (spaces < 0)
        {
            throw new FunctionCallException("strings: negative Repeat count");
        }

        c.CheckLength((long)spaces * (v.Count(ch => ch == '\n') + 1));
        var pad = new string(' ', spaces);
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    /// <summary>strings.Replace with an empty old string: inserts between every rune and at both ends.</summary>
    private static string ReplaceEmpty(string s, string with)
    {
        var sb = new StringBuilder(with);
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(r.ToString()).Append(with);
        }

        return sb.ToString();
    }

    private static GoList SortAlpha(object? list)
    {
        if (list is GoList)
        {
            var items = StrSlice(list);
            items.Sort(Utf8Order.Instance);
            return GoList.Strings(items);
        }

        return GoList.Strings([StrVal(list)]);
    }

    private static string Shuffle(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        Random.Shared.Shuffle(runes);
        return string.Concat(runes.Select(r => r.ToString()));
    }
}
