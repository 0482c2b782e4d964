using System.Numerics;

namespace Connectors.Modules.Templates;

/// <summary>
/// The fractional hexadecimal digits of pi as 32-bit words (243F6A88 85A308D3 ...), computed once with Machin's
/// formula. Blowfish's initial P-array and S-boxes are defined as exactly these words, so bcrypt needs no table.
/// </summary>
internal static class PiHexDigits
{
    private static readonly Lazy<uint[]> Words = new(() => Compute(18 + 1024));

    public static uint[] Get() => Words.Value;

    private static uint[] Compute(int count)
    {
        var bits = (count * 32) + 64;
        var one = BigInteger.One << bits;
        var pi = (16 * ArcTanInverse(5, one)) - (4 * ArcTanInverse(239, one));
        var fraction = pi - (3 * one);
        var words = new uint[count];
        for (var i = 0; i < count; i++)
        {
            fraction <<= 32;
            var word = fraction >> bits;
            words[i] = (uint)word;
            fraction -= word << bits;
        }

        return words;
    }

    /// <summary>arctan(1/x) scaled by <paramref name="one"/>, from its alternating series.</summary>
    private static BigInteger ArcTanInverse(int x, BigInteger one)
    {
        var x2 = x * x;
        var term = one / x;
        var sum = term;
        for (var n = 3; !term.IsZero; n += 2)
        {
            term /= x2;
            sum += (n & 2) != 0 ? -term / n : term / n;
        }

        return sum;
    }
}
