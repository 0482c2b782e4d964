using System.Globalization;
using System.Numerics;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// Go's strconv.FormatFloat for float64 (formats e, E, f, g, G; shortest with precision -1), byte for byte.
/// Digits come from the exact binary value (BigInteger) and are rounded half-to-even as Go's decimal does;
/// shortest digits come from .NET's round-trip formatting, which, like Go's Ryu, picks the shortest and closest.
/// </summary>
internal static class GoFloat
{
    public static string Format(double v, char fmt, int prec)
    {
        var sb = new StringBuilder(24);
        Append(sb, v, fmt, prec);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, double v, char fmt, int prec)
    {
        if (double.IsNaN(v))
        {
            sb.Append("NaN");
            return;
        }

        if (double.IsInfinity(v))
        {
            sb.Append(v > 0 ? "+Inf" : "-Inf");
            return;
        }

        var neg = v < 0 || (v == 0 && double.IsNegative(v));
        if (fmt is 'x' or 'X')
        {
            AppendHex(sb, v, neg, fmt, prec);
            return;
        }

        var abs = Math.Abs(v);
        var shortest = prec < 0;
        string digits;
        int dp;
        if (shortest)
        {
            (digits, dp) = ShortestDigits(abs);
            prec = fmt switch
            {
                'e' or 'E' => Math.Max(digits.Length - 1, 0),
                'f' => Math.Max(digits.Length - dp, 0),
                _ => digits.Length,
            };
        }
        else
        {
            (digits, dp) = FixedDigits(abs, fmt, prec);
        }

        if (neg)
        {
            sb.Append('-');
        }

        switch (fmt)
        {
            case 'e' or 'E':
                AppendE(sb, digits, dp, prec, fmt);
                return;
            case 'f':
                AppendF(sb, digits, dp, prec);
                return;
        }

        // %g, %G
        var eprec = prec;
        if (eprec > digits.Length && digits.Length >= dp)
        {
            eprec = digits.Length;
        }

        if (shortest)
        {
            eprec = 6;
        }

        var exp = dp - 1;

        if (exp < -4 || exp >= eprec)
        {
            if (prec > digits.Length)
            {
                prec = digits.Length;
            }

            AppendE(sb, digits, dp, prec - 1, fmt == 'g' ? 'e' : 'E');
            return;
        }

        if (prec > dp)
        {
            prec = digits.Length;
        }

        AppendF(sb, digits, dp, Math.Max(prec - dp, 0));
    }

    /// <summary>strconv's %x for floats: -0x1.8p+01 (shortest mantissa when prec is -1).</summary>
    private static void AppendHex(StringBuilder sb, double v, bool neg, char fmt, int prec)
    {
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(v));
        var exp = (int)((bits >> 52) & 0x7FF);
        var mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0 && mant == 0)
        {
            exp = 0;
        }
        else if (exp == 0)
        {
            exp = -1022;
            while ((mant & (1L << 52)) == 0)
            {
                mant <<= 1;
                exp--;
            }

            mant &= 0xFFFFFFFFFFFFFL;
        }
        else
        {
            exp -= 1023;
        }

        var upper = fmt == 'X';
        var hex = mant.ToString(upper ? "X13" : "x13", CultureInfo.InvariantCulture).TrimEnd('0');
        if (neg)
        {
            sb.Append('-');
        }

        sb.Append(upper ? "0X" : "0x").Append(v == 0 ? '0' : '1');
        if (hex.Length > 0 && prec < 0)
        {
            sb.Append('.').Append(hex);
        }

        sb.Append(upper ? 'P' : 'p').Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        sb.Append(exp < 10 ? "0" : string.Empty).Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendE(StringBuilder sb, string digits, int dp, int prec, char e)
    {
        sb.Append(digits.Length == 0 ? '0' : digits[0]);
        if (prec > 0)
        {
            sb.Append('.');
            var i = 1;
            var m = Math.Min(digits.Length, prec + 1);
            if (i < m)
            {
                sb.Append(digits, i, m - i);
                i = m;
            }

            for (; i <= prec; i++)
            {
                sb.Append('0');
            }
        }

        sb.Append(e);
        var exp = digits.Length == 0 ? 0 : dp - 1;
        sb.Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }

        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendF(StringBuilder sb, string digits, int dp, int prec)
    {
        if (dp > 0)
        {
            var m = Math.Min(digits.Length, dp);
            sb.Append(digits, 0, m);
            for (; m < dp; m++)
            {
                sb.Append('0');
            }
        }
        else
        {
            sb.Append('0');
        }

        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                var j = dp + i - 1;
                sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }
    }

    /// <summary>
    /// Digits rounded for a fixed precision. Fast path: when the shortest round-trip digits have at most 15
    /// significant digits and the cut is not an exact tie, rounding them gives the same digits as rounding the
    /// exact binary value (two decimals of 15 digits never map to one double); otherwise use the exact expansion.
    /// </summary>
    private static (string Digits, int Dp) FixedDigits(double abs, char fmt, int prec)
    {
        var (digits, dp) = ShortestDigits(abs);
        var keep = Keep(fmt, prec, dp);
        var tie = keep >= 0 && keep < digits.Length && digits[keep] == '5' && keep + 1 == digits.Length;
        if (digits.Length > 15 || keep > 15 || tie)
        {
            (digits, dp) = ExactDigits(abs);
            keep = Keep(fmt, prec, dp);
        }

        return Round(digits, dp, keep);
    }

    private static int Keep(char fmt, int prec, int dp) => fmt switch
    {
        'e' or 'E' => prec + 1,
        'f' => dp + prec,
        _ => prec == 0 ? 1 : prec,
    };

    /// <summary>Shortest decimal digits that round-trip, without leading or trailing zeros; dp is the decimal point.</summary>
    public static (string Digits, int Dp) ShortestDigits(double abs)
    {
        if (abs == 0)
        {
            return (string.Empty, 0);
        }

        if (abs < 1e15 && abs == Math.Floor(abs))
        {
            var text = ((long)abs).ToString(CultureInfo.InvariantCulture);
            return (text.TrimEnd('0'), text.Length);
        }

        return Normalize(abs.ToString("R", CultureInfo.InvariantCulture));
    }

    private static (string Digits, int Dp) Normalize(string text)
    {
        var exp = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        string all;
        int dp;
        if (point >= 0)
        {
            all = string.Concat(text.AsSpan(0, point), text.AsSpan(point + 1));
            dp = point;
        }
        else
        {
            all = text;
            dp = text.Length;
        }

        var lead = 0;
        while (lead < all.Length && all[lead] == '0')
        {
            lead++;
        }

        all = all[lead..];
        dp -= lead;
        all = all.TrimEnd('0');
        return (all, dp + exp);
    }

    /// <summary>The exact decimal expansion of a finite non-negative double.</summary>
    public static (string Digits, int Dp) ExactDigits(double abs)
    {
        if (abs == 0)
        {
            return (string.Empty, 0);
        }

        var bits = BitConverter.DoubleToInt64Bits(abs);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        string s;
        int dp;
        if (exponent >= 0)
        {
            s = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            dp = s.Length;
        }
        else
        {
            s = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            dp = s.Length + exponent;
        }

        return (s.TrimEnd('0'), dp);
    }

    /// <summary>Rounds to <paramref name="nd"/> digits, half to even (Go's decimal.Round on an exact value).</summary>
    public static (string Digits, int Dp) Round(string digits, int dp, int nd)
    {
        if (nd < 0 || nd >= digits.Length)
        {
            return (digits, dp);
        }

        var up = digits[nd] > '5' || (digits[nd] == '5' && (nd + 1 < digits.Length || (nd > 0 && (digits[nd - 1] - '0') % 2 == 1)));
        if (!up)
        {
            return (digits[..nd].TrimEnd('0'), nd == 0 ? 0 : dp);
        }

        var chars = digits[..nd].ToCharArray();
        var i = nd - 1;
        while (i >= 0 && chars[i] == '9')
        {
            i--;
        }

        if (i < 0)
        {
            return ("1", dp + 1);
        }

        chars[i]++;
        return (new string(chars, 0, i + 1), dp);
    }
}
