using System.Globalization;
using System.Numerics;

namespace Connectors.Modules.Templates;

/// <summary>Number and character constants of the template language, as text/template/parse.newNumber reads them.</summary>
internal static class TemplateNumbers
{
    public static NumberNode? Parse(TemplateToken token)
    {
        var n = new NumberNode(token.Pos, token.Value);
        if (token.Kind == TokenKind.CharConstant)
        {
            if (!GoQuote.TryUnquote(token.Value, out var s))
            {
                return null;
            }

            var rune = char.ConvertToUtf32(s, 0);
            n.IsInt = n.IsUint = n.IsFloat = true;
            n.Int64 = rune;
            n.Uint64 = (ulong)rune;
            n.Float64 = rune;
            return n;
        }

        var text = token.Value;
        if (text.EndsWith('i'))
        {
            return null; // complex constants are not supported
        }

        if (TryParseInteger(text, out var big))
        {
            if (big >= 0 && big <= ulong.MaxValue)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)big;
            }

            if (big >= long.MinValue && big <= long.MaxValue)
            {
                n.IsInt = true;
                n.Int64 = (long)big;
            }

            if (n.IsInt)
            {
                n.IsFloat = true;
                n.Float64 = n.Int64;
            }
            else if (n.IsUint)
            {
                n.IsFloat = true;
                n.Float64 = n.Uint64;
            }

            return n.IsInt || n.IsUint ? n : null;
        }

        if (!text.AsSpan().ContainsAny(".eEpP") || !TryParseFloat(text, out var f))
        {
            return null;
        }

        n.IsFloat = true;
        n.Float64 = f;
        if (!n.IsInt && Math.Abs(f) < 9.2e18 && (double)(long)f == f)
        {
            n.IsInt = true;
            n.Int64 = (long)f;
        }

        if (!n.IsUint && f >= 0 && f < 1.8e19 && (double)(ulong)f == f)
        {
            n.IsUint = true;
            n.Uint64 = (ulong)f;
        }

        return n;
    }

    public static string LastError(TemplateToken token)
    {
        if (TryParseInteger(token.Value, out _) || !token.Value.AsSpan().ContainsAny(".eEpP") && double.TryParse(token.Value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return $"integer overflow: {GoQuote.Quote(token.Value)}";
        }

        return $"illegal number syntax: {GoQuote.Quote(token.Value)}";
    }

    /// <summary>Go integer literal syntax (strconv.ParseInt with base 0): sign, 0x/0o/0b/0 prefixes, underscores.</summary>
    public static bool TryParseInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var radix = 10;
        var prefixed = false;
        if (s.Length >= 2 && s[0] == '0')
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x': radix = 16; s = s[2..]; prefixed = true; break;
                case 'o': radix = 8; s = s[2..]; prefixed = true; break;
                case 'b': radix = 2; s = s[2..]; prefixed = true; break;
                default: radix = 8; s = s[1..]; prefixed = true; break;
            }
        }

        if (s.IsEmpty)
        {
            return !prefixed && false;
        }

        ulong small = 0;
        var big = BigInteger.Zero;
        var overflow = false;
        var lastUnderscore = true;
        if (prefixed && radix != 8)
        {
            lastUnderscore = false;
        }

        foreach (var c in s)
        {
            if (c == '_')
            {
                if (lastUnderscore || !prefixed && radix == 10 && false)
                {
                    return false;
                }

                lastUnderscore = true;
                continue;
            }

            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                return false;
            }

            if (!overflow && small <= (ulong.MaxValue - (ulong)d) / (ulong)radix)
            {
                small = (small * (ulong)radix) + (ulong)d;
            }
            else
            {
                big = overflow ? (big * radix) + d : ((BigInteger)small * radix) + d;
                overflow = true;
            }

            lastUnderscore = false;
        }

        if (lastUnderscore)
        {
            return false;
        }

        value = overflow ? big : small;
        if (negative)
        {
            value = -value;
        }

        return true;
    }

    /// <summary>Go's hexadecimal floating-point literal: 0x1.8p1 = 3 (the p exponent is required).</summary>
    private static bool TryParseHexFloat(string text, out double value)
    {
        value = 0;
        var s = text.AsSpan();
        var negative = s.Length > 0 && s[0] == '-';
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            s = s[1..];
        }

        if (s.Length < 3 || s[0] != '0' || (s[1] is not ('x' or 'X')))
        {
            return false;
        }

        s = s[2..];
        var p = s.IndexOfAny('p', 'P');
        if (p < 0 || !int.TryParse(s[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
        {
            return false;
        }

        var mantissa = BigInteger.Zero;
        var fractionDigits = 0;
        var seenPoint = false;
        var digits = 0;
        foreach (var c in s[..p])
        {
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }

            var d = char.IsAsciiHexDigit(c) ? Convert.ToInt32(c.ToString(), 16) : -1;
            if (d < 0)
            {
                return false;
            }

            mantissa = (mantissa * 16) + d;
            digits++;
            fractionDigits += seenPoint ? 1 : 0;
        }

        if (digits == 0)
        {
            return false;
        }

        value = Math.ScaleB((double)mantissa, exponent - (4 * fractionDigits));
        if (negative)
        {
            value = -value;
        }

        return !double.IsInfinity(value);
    }

    public static bool TryParseFloat(string text, out double value)
    {
        var clean = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (clean.Contains("0x", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseHexFloat(clean, out value);
        }

        return double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsInfinity(value);
    }
}
