using System.Security.Cryptography;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>bcrypt ($2a$, Go's x/crypto/bcrypt): EksBlowfish with the password NUL-terminated, 64 encryptions of "OrpheanBeholderScryDoubt".</summary>
internal static class Bcrypt
{
    public const int DefaultCost = 10;
    private const string Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string HashPassword(string password) => Hash(Encoding.UTF8.GetBytes(password), DefaultCost, RandomNumberGenerator.GetBytes(16));

    public static string Hash(byte[] password, int cost, byte[] salt)
    {
        if (password.Length > 72)
        {
            throw new FunctionCallException("bcrypt: password length exceeds 72 bytes");
        }

        var key = new byte[password.Length + 1];
        password.CopyTo(key, 0);
        var state = new BlowfishState();
        state.ExpandKey(salt, key);
        for (long i = 0; i < 1L << cost; i++)
        {
            state.ExpandKey(null, key);
            state.ExpandKey(null, salt);
        }

        var ctext = Encoding.ASCII.GetBytes("OrpheanBeholderScryDoubt");
        var words = new uint[6];
        for (var i = 0; i < 6; i++)
        {
            words[i] = (uint)((ctext[4 * i] << 24) | (ctext[(4 * i) + 1] << 16) | (ctext[(4 * i) + 2] << 8) | ctext[(4 * i) + 3]);
        }

        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 6; j += 2)
            {
                (words[j], words[j + 1]) = state.Encrypt(words[j], words[j + 1]);
            }
        }

        var output = new byte[24];
        for (var i = 0; i < 6; i++)
        {
            output[4 * i] = (byte)(words[i] >> 24);
            output[(4 * i) + 1] = (byte)(words[i] >> 16);
            output[(4 * i) + 2] = (byte)(words[i] >> 8);
            output[(4 * i) + 3] = (byte)words[i];
        }

        return $"$2a${cost:D2}${Encode(salt)}{Encode(output.AsSpan(0, 23))}";
    }

    /// <summary>Recomputes a hash with the cost and salt of <paramref name="hash"/> and compares.</summary>
    public static bool Verify(string password, string hash)
    {
        if (hash.Length != 60 || !int.TryParse(hash.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture, out var cost))
        {
            return false;
        }

        var salt = Decode(hash.AsSpan(7, 22), 16);
        var again = Hash(Encoding.UTF8.GetBytes(password), cost, salt);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(again[7..]), Encoding.ASCII.GetBytes(hash[7..]));
    }

    private static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < data.Length; i += 3)
        {
            var n = Math.Min(3, data.Length - i);
            var v = data[i] << 16;
            if (n > 1)
            {
                v |= data[i + 1] << 8;
            }

            if (n > 2)
            {
                v |= data[i + 2];
            }

            for (var k = 0; k <= n; k++)
            {
                sb.Append(Alphabet[(v >> (18 - (6 * k))) & 63]);
            }
        }

        return sb.ToString();
    }

    private static byte[] Decode(ReadOnlySpan<char> text, int length)
    {
        var output = new List<byte>();
        var bitsBuffer = 0;
        var bits = 0;
        foreach (var c in text)
        {
            bitsBuffer = (bitsBuffer << 6) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(bitsBuffer >> bits));
            }
        }

        return [.. output.Take(length)];
    }

    private sealed class BlowfishState
    {
        private readonly uint[] _p = new uint[18];
        private readonly uint[] _s = new uint[1024];

        public BlowfishState()
        {
            var pi = PiHexDigits.Get();
            Array.Copy(pi, 0, _p, 0, 18);
            Array.Copy(pi, 18, _s, 0, 1024);
        }

        private uint F(uint x) =>
            ((_s[x >> 24] + _s[256 + ((x >> 16) & 0xFF)]) ^ _s[512 + ((x >> 8) & 0xFF)]) + _s[768 + (x & 0xFF)];

        public (uint L, uint R) Encrypt(uint l, uint r)
        {
            for (var i = 0; i < 16; i += 2)
            {
                l ^= _p[i];
                r ^= F(l);
                r ^= _p[i + 1];
                l ^= F(r);
            }

            l ^= _p[16];
            r ^= _p[17];
            return (r, l);
        }

        private static uint StreamWord(byte[] data, ref int j)
        {
            uint word = 0;
            for (var k = 0; k < 4; k++)
            {
                word = (word << 8) | data[j];
                j = (j + 1) % data.Length;
            }

            return word;
        }

        public void ExpandKey(byte[]? salt, byte[] key)
        {
            var j = 0;
            for (var i = 0; i < 18; i++)
            {
                _p[i] ^= StreamWord(key, ref j);
            }

            uint l = 0, r = 0;
            var s = 0;
            for (var i = 0; i < 18; i += 2)
            {
                if (salt is not null)
                {
                    l ^= StreamWord(salt, ref s);
                    r ^= StreamWord(salt, ref s);
                }

                (l, r) = Encrypt(l, r);
                (_p[i], _p[i + 1]) = (l, r);
            }

            for (var i = 0; i < 1024; i += 2)
            {
                if (salt is not null)
                {
                    l ^= StreamWord(salt, ref s);
                    r ^= StreamWord(salt, ref s);
                }

                (l, r) = Encrypt(l, r);
                (_s[i], _s[i + 1]) = (l, r);
            }
        }
    }
}
