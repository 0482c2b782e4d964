using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// Translates Go's regexp syntax (RE2, as regexp.Compile parses it) into an equivalent .NET pattern, and refuses what Go
/// refuses (lookarounds, backreferences, possessive and stacked repetition, <c>\Z</c>, <c>(?&lt;name&gt;</c>, counts over
/// 1000). The differences it bridges: <c>$</c> is the end of text (not before a final newline), <c>\w \d \s \b</c> and
/// the POSIX classes are ASCII-only, <c>.</c> and classes match a rune (not half of a surrogate pair), <c>(?i)</c> folds
/// with Go's orbits (ſ, K), <c>(?U)</c>, <c>\Q…\E</c>, <c>\x{…}</c>, Go's scripts, and capture groups numbered left to
/// right as in Go (named groups are emitted unnamed; <see cref="GroupNames"/> maps the names).
/// </summary>
internal sealed partial class Re2Translator
{
    private const int MaxRepeat = 1000;
    private const string WordClass = "[0-9A-Za-z_]";

    private readonly string _pattern;
    private readonly StringBuilder _out = new();
    private readonly HashSet<int> _zeroWidth = [];
    private int _pos;
    private int _captures;

    private Re2Translator(string pattern) => _pattern = pattern;

    /// <summary>Capture names to their Go group numbers.</summary>
    public Dictionary<string, int> GroupNames { get; } = new(StringComparer.Ordinal);

    public string Pattern => _out.ToString();

    /// <summary>Translates <paramref name="pattern"/>; throws <see cref="FormatException"/> with Go's message when Go refuses it.</summary>
    public static Re2Translator Translate(string pattern)
    {
        var t = new Re2Translator(pattern);
        var flags = new Flags();
        t.Alternation(ref flags, depth: 0);
        if (t._pos < pattern.Length)
        {
            throw Error("unexpected )", pattern);
        }

        return t;
    }

    private struct Flags
    {
        public bool FoldCase;
        public bool MultiLine;
        public bool DotNl;
        public bool NonGreedy;
    }

    private static FormatException Error(string code, string arg) => new($"error parsing regexp: {code}: `{arg}`");

    private bool More => _pos < _pattern.Length;

    private char Peek => _pattern[_pos];

    private void Alternation(ref Flags flags, int depth)
    {
        var branchStart = _out.Length;
        Concatenation(ref flags, depth, branchStart);
        while (More && Peek == '|')
        {
            _pos++;
            _out.Append('|');
            Concatenation(ref flags, depth, _out.Length);
        }
    }

    private void Concatenation(ref Flags flags, int depth, int start)
    {
        var lastAtom = -1;
        var lastWasRepeat = false;
        while (More && Peek != '|' && Peek != ')')
        {
            var c = Peek;
            if (c is '*' or '+' or '?' || (c == '{' && TryRepeatCount(out _, out _, out _)))
            {
                var opStart = _pos;
                var op = ReadRepeat(flags);
                if (lastAtom < 0)
                {
                    throw Error("missing argument to repetition operator", _pattern[opStart.._pos]);
                }

                if (lastWasRepeat)
                {
                    throw Error("invalid nested repetition operator", _pattern[opStart.._pos]);
                }

                if (_zeroWidth.Contains(lastAtom))
                {
                    // Go simplifies a repeated assertion: at least once is the assertion, optional is nothing. .NET's
                    // lazy loops over an empty-width body do not backtrack as Go's do ("l??\B+?i" on "li").
                    if (op[0] is '*' or '?' || op.StartsWith("{0", StringComparison.Ordinal))
                    {
                        _out.Length = lastAtom;
                    }
                }
                else
                {
                    _out.Insert(lastAtom, "(?:").Append(')').Append(op);
                }

                lastWasRepeat = true;
                continue;
            }

            lastWasRepeat = false;
            lastAtom = Atom(ref flags, depth);
        }

        _ = start;
    }

    /// <summary>One atom; returns where its repeatable unit starts in the output, or -1 for a flag group (?i), which
    /// emits nothing and cannot be repeated. For \Q…\E the unit is its last literal, as in Go.</summary>
    private int Atom(ref Flags flags, int depth)
    {
        var start = _out.Length;
        _zeroWidth.Remove(start);
        var c = _pattern[_pos];
        switch (c)
        {
            case '(':
                return Group(ref flags, depth) ? start : -1;
            case '[':
                _out.Append(ParseClass(flags).ToPattern());
                return start;
            case '.':
                _pos++;
                _out.Append(flags.DotNl ? @"(?>[\ud800-\udbff][\udc00-\udfff]|[\s\S])" : @"(?>[\ud800-\udbff][\udc00-\udfff]|[^\n])");
                return start;
            case '^':
                _pos++;
                _out.Append(flags.MultiLine ? "(?m:^)" : @"\A");
                _zeroWidth.Add(start);
                return start;
            case '$':
                _pos++;
                _out.Append(flags.MultiLine ? "(?m:$)" : @"\z");
                _zeroWidth.Add(start);
                return start;
            case '\\':
                return Escape(flags);
            default:
                var r = GoCase.RuneAt(_pattern, _pos, out var width);
                _pos += width;
                Literal(r, flags);
                return start;
        }
    }

    private bool Group(ref Flags flags, int depth)
    {
        var open = _pos;
        _pos++;
        var inner = flags;
        if (More && Peek == '?')
        {
            if (_pattern.AsSpan(_pos).StartsWith("?P<"))
            {
                var end = _pattern.IndexOf('>', _pos);
                if (end < 0)
                {
                    throw Error("invalid named capture", _pattern[open..]);
                }

                var name = _pattern[(_pos + 3)..end];
                if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                {
                    throw Error("invalid named capture", _pattern[open..(end + 1)]);
                }

                if (!GroupNames.TryAdd(name, _captures + 1))
                {
                    throw Error("duplicate capture group name", _pattern[open..(end + 1)]);
                }

                _pos = end + 1;
                _captures++;
                _out.Append('(');
            }
            else
            {
                // (?flags) or (?flags:re); Go refuses every other (? form.
                _pos++;
                var negate = false;
                var sawFlag = false;
                while (true)
                {
                    if (!More)
                    {
                        throw Error("missing closing )", _pattern[open..]);
                    }

                    var f = _pattern[_pos++];
                    switch (f)
                    {
                        case 'i': inner.FoldCase = !negate; sawFlag = true; continue;
                        case 'm': inner.MultiLine = !negate; sawFlag = true; continue;
                        case 's': inner.DotNl = !negate; sawFlag = true; continue;
                        case 'U': inner.NonGreedy = !negate; sawFlag = true; continue;
                        case '-' when !negate:
                            negate = true;
                            sawFlag = false;
                            continue;
                        case ')' when sawFlag || !negate:
                            if (!sawFlag && !negate)
                            {
                                throw Error("missing argument to repetition operator", _pattern[open.._pos]);
                            }

                            flags = inner;
                            return false;
                        case ':' when sawFlag || !negate:
                            _out.Append("(?:");
                            Alternation(ref inner, depth + 1);
                            Close(open);
                            return true;
                        default:
                            throw Error("invalid or unsupported Perl syntax", _pattern[open.._pos]);
                    }
                }
            }
        }
        else
        {
            _captures++;
            _out.Append('(');
        }

        Alternation(ref inner, depth + 1);
        Close(open);
        return true;
    }

    private void Close(int open)
    {
        if (!More || Peek != ')')
        {
            throw Error("missing closing )", _pattern[open..]);
        }

        _pos++;
        _out.Append(')');
    }

    private string ReadRepeat(Flags flags)
    {
        string op;
        if (Peek == '{')
        {
            TryRepeatCount(out var min, out var max, out var end);
            if (min > MaxRepeat || max > MaxRepeat || (max >= 0 && max < min))
            {
                throw Error("invalid repeat count", _pattern[_pos..end]);
            }

            op = _pattern[_pos..end];
            _pos = end;
        }
        else
        {
            op = _pattern[_pos].ToString();
            _pos++;
        }

        var lazy = false;
        if (More && Peek == '?')
        {
            lazy = true;
            _pos++;
        }

        return lazy != flags.NonGreedy ? op + "?" : op;
    }

    /// <summary>Reads {n}, {n,} or {n,m} at the current position without consuming it; max is -1 for {n,}.</summary>
    private bool TryRepeatCount(out int min, out int max, out int end)
    {
        min = max = -1;
        end = _pos;
        var i = _pos + 1;
        if (!ReadNumber(ref i, out min))
        {
            return false;
        }

        max = min;
        if (i < _pattern.Length && _pattern[i] == ',')
        {
            i++;
            max = -1;
            if (i < _pattern.Length && _pattern[i] != '}' && !ReadNumber(ref i, out max))
            {
                return false;
            }
        }

        if (i >= _pattern.Length || _pattern[i] != '}')
        {
            return false;
        }

        end = i + 1;
        return true;
    }

    private bool ReadNumber(ref int i, out int value)
    {
        var start = i;
        while (i < _pattern.Length && char.IsAsciiDigit(_pattern[i]))
        {
            i++;
        }

        value = -1;
        if (i == start || (i - start > 1 && _pattern[start] == '0'))
        {
            return false;
        }

        value = i - start > 8 ? int.MaxValue : int.Parse(_pattern.AsSpan(start, i - start), CultureInfo.InvariantCulture);
        return true;
    }
}
