using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

// Per-type printing (fmt's printArg/printValue and the fmt struct's padding), split from the printf driver.
internal sealed partial class GoFormatter
{
    private const string LowerHex = "0123456789abcdefx";
    private const string UpperHex = "0123456789ABCDEFX";

    private void PrintArg(object? arg, int verb, int depth)
    {
        if (arg is GoNil)
        {
            arg = null;
        }

        if (arg is null && depth > 0)
        {
            _buf.Append(_f.SharpV ? "interface {}(nil)" : "<nil>");
            return;
        }

        if (arg is null)
        {
            if (verb is 'T' or 'v')
            {
                Pad(depth > 0 && _f.SharpV ? "interface {}(nil)" : "<nil>");
            }
            else
            {
                BadVerb(verb, null);
            }

            return;
        }

        if (verb == 'T')
        {
            Pad(GoTypes.TypeName(arg));
            return;
        }

        switch (arg)
        {
            case bool b:
                if (verb is 't' or 'v')
                {
                    Pad(b ? "true" : "false");
                }
                else
                {
                    BadVerb(verb, arg);
                }

                return;
            case double d:
                FmtFloat(d, verb, arg);
                return;
            case long l:
                FmtInteger(unchecked((ulong)l), true, verb, arg);
                return;
            case GoInt64 l:
                FmtInteger(unchecked((ulong)l.Value), true, verb, arg);
                return;
            case byte u:
                FmtInteger(u, false, verb, arg);
                return;
            case string s:
                FmtString(s, verb, arg);
                return;
            case GoList list:
                PrintList(list, verb, depth);
                return;
            case GoMap map:
                PrintMap(map, verb, depth);
                return;
            case GoStruct st:
                PrintStruct(st, verb, depth);
                return;
            case GoTypedNil tn:
                if (verb == 'v')
                {
                    Pad(_f.SharpV ? "(" + tn.TypeName + ")(nil)" : "<nil>");
                }
                else
                {
                    BadVerb(verb, arg);
                }

                return;
            case IGoStringer stringer when verb is 'v' or 's' or 'x' or 'X' or 'q':
                FmtString(stringer.GoString(), verb == 'v' && _f.SharpV ? 's' : verb, arg);
                return;
            default:
                Pad(arg.ToString() ?? string.Empty);
                return;
        }
    }

    private void BadVerb(int verb, object? arg)
    {
        _buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append('(');
        if (arg is null)
        {
            _buf.Append("<nil>");
        }
        else
        {
            _buf.Append(GoTypes.TypeName(arg)).Append('=');
            PrintArg(arg, 'v', 0);
        }

        _buf.Append(')');
    }

    private void PrintList(GoList list, int verb, int depth)
    {
        if (_f.SharpV)
        {
            _buf.Append(list.TypeName).Append('{');
            for (var i = 0; i < list.Items.Length; i++)
            {
                if (i > 0)
                {
                    _buf.Append(", ");
                }

                PrintArg(list.Items[i], verb, depth + 1);
            }

            _buf.Append('}');
            return;
        }

        _buf.Append('[');
        for (var i = 0; i < list.Items.Length; i++)
        {
            if (i > 0)
            {
                _buf.Append(' ');
            }

            PrintArg(list.Items[i], verb, depth + 1);
        }

        _buf.Append(']');
    }

    private void PrintMap(GoMap map, int verb, int depth)
    {
        _buf.Append(_f.SharpV ? map.TypeName + "{" : "map[");
        var first = true;
        foreach (var key in map.SortedKeys)
        {
            if (!first)
            {
                _buf.Append(_f.SharpV ? ", " : " ");
            }

            first = false;
            PrintArg(key, verb, depth + 1);
            _buf.Append(':');
            PrintArg(map.Entries[key], verb, depth + 1);
        }

        _buf.Append(_f.SharpV ? '}' : ']');
    }

    private void PrintStruct(GoStruct st, int verb, int depth)
    {
        if (st.Pointer)
        {
            if (depth > 0)
            {
                _buf.Append("0xc000010000");
                return;
            }

            _buf.Append('&');
        }

        if (_f.SharpV)
        {
            _buf.Append(st.TypeName);
        }

        _buf.Append('{');
        for (var i = 0; i < st.Fields.Count; i++)
        {
            if (i > 0)
            {
                _buf.Append(_f.SharpV ? ", " : " ");
            }

            if (_f.PlusV || _f.SharpV)
            {
                _buf.Append(st.Fields[i].Name).Append(':');
            }

            PrintArg(st.Fields[i].Value, verb, depth + 1);
        }

        _buf.Append('}');
    }

    private void FmtString(string s, int verb, object arg)
    {
        switch (verb)
        {
            case 'v':
                if (_f.SharpV)
                {
                    Pad(GoQuote.Quote(s));
                }
                else
                {
                    Pad(Truncate(s));
                }

                return;
            case 's':
                Pad(Truncate(s));
                return;
            case 'x' or 'X':
                FmtHexString(Truncate(s), verb == 'X' ? UpperHex : LowerHex);
                return;
            case 'q':
                s = Truncate(s);
                if (_f.Sharp && CanBackquote(s))
                {
                    Pad("`" + s + "`");
                }
                else
                {
                    Pad(GoQuote.Quote(s, '"', _f.Plus));
                }

                return;
            default:
                BadVerb(verb, arg);
                return;
        }
    }

    private string Truncate(string s)
    {
        if (!_f.PrecPresent)
        {
            return s;
        }

        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (n == _f.Prec)
            {
                return s[..i];
            }

            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length)
            {
                i++;
            }

            n++;
        }

        return s;
    }

    private static bool CanBackquote(string s)
    {
        foreach (var c in s)
        {
            if ((c < ' ' && c != '\t') || c == '`' || c == '\u007f' || c == '\uFEFF' || c == '\uFFFD')
            {
                return false;
            }
        }

        return true;
    }

    private void FmtHexString(string s, string digits)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder(bytes.Length * 2);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (_f.Space && i > 0)
            {
                sb.Append(' ');
            }

            if (_f.Sharp && (_f.Space || i == 0))
            {
                sb.Append('0').Append(digits[16]);
            }

            sb.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }

        Pad(sb.ToString());
    }

    private void FmtFloat(double v, int verb, object arg)
    {
        int prec;
        char fmt;
        switch (verb)
        {
            case 'v': fmt = 'g'; prec = -1; break;
            case 'g' or 'G': fmt = (char)verb; prec = -1; break;
            case 'f' or 'F': fmt = 'f'; prec = 6; break;
            case 'e' or 'E': fmt = (char)verb; prec = 6; break;
            case 'x' or 'X': fmt = (char)verb; prec = -1; break;
            default:
                BadVerb(verb, arg);
                return;
        }

        if (_f.PrecPresent)
        {
            prec = _f.Prec;
        }

        if (!_f.Plus && !_f.Space && !_f.WidPresent && !_f.Sharp && double.IsFinite(v))
        {
            GoFloat.Append(_buf, v, fmt, prec);
            return;
        }

        var num = new StringBuilder(24);
        GoFloat.Append(num, v, fmt, prec);
        var s = num.ToString();
        var sign = '+';
        if (s[0] is '-' or '+')
        {
            sign = s[0];
            s = s[1..];
        }

        if (_f.Space && sign == '+' && !_f.Plus)
        {
            sign = ' ';
        }

        if (s is "Inf" or "NaN")
        {
            var oldZero = _f.Zero;
            _f.Zero = false;
            Pad(s == "NaN" && !_f.Space && !_f.Plus ? s : sign + s);
            _f.Zero = oldZero;
            return;
        }

        if (_f.Plus || sign != '+')
        {
            if (_f.Zero && _f.WidPresent && _f.Wid > s.Length + 1)
            {
                _buf.Append(sign);
                WritePadding(_f.Wid - s.Length - 1);
                _buf.Append(s);
                return;
            }

            Pad(sign + s);
            return;
        }

        Pad(s);
    }

    private void FmtInteger(ulong u, bool signed, int verb, object arg)
    {
        switch (verb)
        {
            case 'v' or 'd':
                FmtIntegerBase(u, 10, signed, verb, LowerHex);
                return;
            case 'b':
                FmtIntegerBase(u, 2, signed, verb, LowerHex);
                return;
            case 'o' or 'O':
                FmtIntegerBase(u, 8, signed, verb, LowerHex);
                return;
            case 'x':
                FmtIntegerBase(u, 16, signed, verb, LowerHex);
                return;
            case 'X':
                FmtIntegerBase(u, 16, signed, verb, UpperHex);
                return;
            case 'c':
                Pad(RuneString(u));
                return;
            case 'q':
                Pad(GoQuote.QuoteRune(u > 0x10FFFF ? 0xFFFD : (int)u));
                return;
            case 'U':
                FmtUnicode(u);
                return;
            default:
                BadVerb(verb, arg);
                return;
        }
    }

    private static string RuneString(ulong u) =>
        u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF) ? "\uFFFD" : char.ConvertFromUtf32((int)u);

    private void FmtUnicode(ulong u)
    {
        var s = "U+" + u.ToString("X4", CultureInfo.InvariantCulture);
        if (_f.Sharp && u <= 0x10FFFF && GoQuote.IsPrint((int)u))
        {
            s += " '" + RuneString(u) + "'";
        }

        var oldZero = _f.Zero;
        _f.Zero = false;
        Pad(s);
        _f.Zero = oldZero;
    }

    private void FmtIntegerBase(ulong u, int @base, bool signed, int verb, string digits)
    {
        if (@base == 10 && !_f.WidPresent && !_f.PrecPresent && !_f.Plus && !_f.Space)
        {
            if (signed)
            {
                _buf.Append(unchecked((long)u));
            }
            else
            {
                _buf.Append(u);
            }

            return;
        }

        var negative = signed && (long)u < 0;
        if (negative)
        {
            u = unchecked(0 - u);
        }

        var prec = 0;
        if (_f.PrecPresent)
        {
            prec = _f.Prec;
            if (prec == 0 && u == 0)
            {
                var oldZero = _f.Zero;
                _f.Zero = false;
                WritePadding(_f.Wid);
                _f.Zero = oldZero;
                return;
            }
        }
        else if (_f.Zero && _f.WidPresent)
        {
            prec = _f.Wid;
            if (negative || _f.Plus || _f.Space)
            {
                prec--;
            }
        }

        var chars = new List<char>(24);
        do
        {
            chars.Add(digits[(int)(u % (ulong)@base)]);
            u /= (ulong)@base;
        }
        while (u > 0);

        while (chars.Count < prec)
        {
            chars.Add('0');
        }

        if (_f.Sharp)
        {
            switch (@base)
            {
                case 2: chars.Add('b'); chars.Add('0'); break;
                case 8 when chars[^1] != '0': chars.Add('0'); break;
                case 16: chars.Add(digits[16]); chars.Add('0'); break;
            }
        }

        if (verb == 'O')
        {
            chars.Add('o');
            chars.Add('0');
        }

        if (negative)
        {
            chars.Add('-');
        }
        else if (_f.Plus)
        {
            chars.Add('+');
        }
        else if (_f.Space)
        {
            chars.Add(' ');
        }

        chars.Reverse();
        var oldZero2 = _f.Zero;
        _f.Zero = false;
        Pad(new string([.. chars]));
        _f.Zero = oldZero2;
    }

    private void Pad(string s)
    {
        if (!_f.WidPresent || _f.Wid == 0)
        {
            _buf.Append(s);
            return;
        }

        var width = _f.Wid - CountRunes(s);
        if (!_f.Minus)
        {
            WritePadding(width);
            _buf.Append(s);
        }
        else
        {
            _buf.Append(s);
            WritePadding(width);
        }
    }

    private static int CountRunes(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsLowSurrogate(s[i]))
            {
                n++;
            }
        }

        return n;
    }

    private void WritePadding(int n)
    {
        if (n > 0)
        {
            _buf.Append(_f.Zero ? '0' : ' ', n);
        }
    }
}
