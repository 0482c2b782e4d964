using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

// Numbers: fmt.fmtFloat and fmt.fmtInteger with their flags.
internal sealed partial class GoFormatter
{
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
}
