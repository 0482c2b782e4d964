using System.Globalization;

namespace Connectors.Modules.Templates;

/// <summary>The atoms of <see cref="Re2Translator"/>: literals (folded under <c>(?i)</c>), escapes and character classes.</summary>
internal sealed partial class Re2Translator
{
    private void Literal(int r, Flags flags)
    {
        if (flags.FoldCase && GoCase.SimpleFold(r) != r)
        {
            var folded = new Re2Class();
            folded.Add(r, r);
            folded.Fold();
            _out.Append(folded.ToPattern());
            return;
        }

        if (r > 0xFFFF)
        {
            _out.Append("(?:").Append(char.ConvertFromUtf32(r)).Append(')');
            return;
        }

        var ch = (char)r;
        if (char.IsAsciiLetterOrDigit(ch) || ch == '_' || ch > 0x7F && !char.IsSurrogate(ch))
        {
            _out.Append(ch);
        }
        else
        {
            _out.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        }
    }

    private int Escape(Flags flags)
    {
        var unit = _out.Length;
        var start = _pos;
        _pos++;
        if (!More)
        {
            throw Error("trailing backslash at end of expression", string.Empty);
        }

        var c = _pattern[_pos];
        switch (c)
        {
            case 'A':
                _pos++;
                _out.Append(@"\A");
                _zeroWidth.Add(unit);
                return unit;
            case 'z':
                _pos++;
                _out.Append(@"\z");
                _zeroWidth.Add(unit);
                return unit;
            case 'b':
                _pos++;
                _out.Append($"(?:(?<={WordClass})(?!{WordClass})|(?<!{WordClass})(?={WordClass}))");
                _zeroWidth.Add(unit);
                return unit;
            case 'B':
                _pos++;
                _out.Append($"(?:(?<={WordClass})(?={WordClass})|(?<!{WordClass})(?!{WordClass}))");
                _zeroWidth.Add(unit);
                return unit;
            case 'Q':
                _pos++;
                var endQuote = _pattern.IndexOf(@"\E", _pos, StringComparison.Ordinal);
                var quoted = endQuote < 0 ? _pattern[_pos..] : _pattern[_pos..endQuote];
                _pos = endQuote < 0 ? _pattern.Length : endQuote + 2;
                for (var i = 0; i < quoted.Length; i++)
                {
                    unit = _out.Length;
                    Literal(GoCase.RuneAt(quoted, i, out var w), flags);
                    i += w - 1;
                }

                // An empty \Q\E is nothing to repeat.
                return quoted.Length == 0 ? -1 : unit;
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                _pos++;
                var perl = Re2Class.Perl(c);
                if (flags.FoldCase)
                {
                    perl.Fold();
                }

                _out.Append(perl.ToPattern());
                return unit;
            case 'p' or 'P':
                var unicode = UnicodeClass(start);
                _out.Append(unicode.ToPattern());
                return unit;
        }

        Literal(EscapedRune(start), flags);
        return unit;
    }

    /// <summary>A single-rune escape: \a \f \t \n \r \v, octal, \x.., \x{...} or escaped punctuation.</summary>
    private int EscapedRune(int start)
    {
        var c = _pattern[_pos++];
        switch (c)
        {
            case 'a': return 7;
            case 'f': return '\f';
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'v': return '\v';
            case >= '1' and <= '7' when !(More && Peek is >= '0' and <= '7'):
                break;
            case >= '0' and <= '7':
                var value = c - '0';
                for (var n = 1; n < 3 && More && Peek is >= '0' and <= '7'; n++)
                {
                    value = (value * 8) + (_pattern[_pos++] - '0');
                }

                return value;
            case 'x':
                return HexEscape(start);
            default:
                if (c < 0x80 && !char.IsAsciiLetterOrDigit(c))
                {
                    return c;
                }

                break;
        }

        var end = _pos + (char.IsHighSurrogate(c) && More ? 1 : 0);
        throw Error("invalid escape sequence", _pattern[start..end]);
    }

    private int HexEscape(int start)
    {
        if (More && Peek == '{')
        {
            var close = _pattern.IndexOf('}', _pos);
            var digits = close < 0 ? string.Empty : _pattern[(_pos + 1)..close];
            if (close < 0 || digits.Length == 0 || !digits.All(char.IsAsciiHexDigit)
                || !int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var big) || big > 0x10FFFF)
            {
                throw Error("invalid escape sequence", _pattern[start..Math.Min(_pattern.Length, close < 0 ? _pattern.Length : close + 1)]);
            }

            _pos = close + 1;
            return big;
        }

        if (_pos + 2 > _pattern.Length || !char.IsAsciiHexDigit(_pattern[_pos]) || !char.IsAsciiHexDigit(_pattern[_pos + 1]))
        {
            throw Error("invalid escape sequence", _pattern[start..Math.Min(_pattern.Length, _pos + 2)]);
        }

        var value = int.Parse(_pattern.AsSpan(_pos, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        _pos += 2;
        return value;
    }

    private Re2Class UnicodeClass(int start)
    {
        var negated = _pattern[_pos] == 'P';
        _pos++;
        if (!More)
        {
            throw Error("invalid character class range", _pattern[start..]);
        }

        string name;
        if (Peek == '{')
        {
            var close = _pattern.IndexOf('}', _pos);
            if (close < 0)
            {
                throw Error("invalid character class range", _pattern[start..]);
            }

            name = _pattern[(_pos + 1)..close];
            _pos = close + 1;
        }
        else
        {
            var r = GoCase.RuneAt(_pattern, _pos, out var width);
            name = char.ConvertFromUtf32(r);
            _pos += width;
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        return Re2Class.Unicode(name, negated) ?? throw Error("invalid character class range", _pattern[start.._pos]);
    }

    private Re2Class ParseClass(Flags flags)
    {
        var open = _pos;
        _pos++;
        var cls = new Re2Class();
        if (More && Peek == '^')
        {
            cls.Negated = true;
            _pos++;
        }

        var first = true;
        while (true)
        {
            if (!More)
            {
                throw Error("missing closing ]", _pattern[open..]);
            }

            var c = Peek;
            if (c == ']' && !first)
            {
                _pos++;
                break;
            }

            first = false;
            if (c == '[' && _pos + 1 < _pattern.Length && _pattern[_pos + 1] == ':')
            {
                var close = _pattern.IndexOf(":]", _pos + 2, StringComparison.Ordinal);
                if (close >= 0)
                {
                    var name = _pattern[(_pos + 2)..close];
                    var negatedPosix = name.StartsWith('^');
                    var posix = Re2Class.Posix(negatedPosix ? name[1..] : name)
                        ?? throw Error("invalid character class range", _pattern[_pos..(close + 2)]);
                    posix.Negated = negatedPosix;
                    cls.Add(posix);
                    _pos = close + 2;
                    continue;
                }
            }

            if (c == '\\' && _pos + 1 < _pattern.Length && _pattern[_pos + 1] is 'd' or 'D' or 's' or 'S' or 'w' or 'W')
            {
                cls.Add(Re2Class.Perl(_pattern[_pos + 1]));
                _pos += 2;
                continue;
            }

            if (c == '\\' && _pos + 1 < _pattern.Length && _pattern[_pos + 1] is 'p' or 'P')
            {
                var start = _pos;
                _pos++;
                cls.Add(UnicodeClass(start));
                continue;
            }

            var rangeStart = _pos;
            var lo = ClassRune();
            var hi = lo;
            if (_pos + 1 < _pattern.Length && Peek == '-' && _pattern[_pos + 1] != ']')
            {
                _pos++;
                hi = ClassRune();
                if (hi < lo)
                {
                    throw Error("invalid character class range", _pattern[rangeStart.._pos]);
                }
            }

            cls.Add(lo, hi);
        }

        if (flags.FoldCase)
        {
            cls.Fold();
        }

        return cls;
    }

    private int ClassRune()
    {
        if (Peek == '\\')
        {
            var start = _pos;
            _pos++;
            if (!More)
            {
                throw Error("trailing backslash at end of expression", string.Empty);
            }

            return EscapedRune(start);
        }

        var r = GoCase.RuneAt(_pattern, _pos, out var width);
        _pos += width;
        return r;
    }
}
