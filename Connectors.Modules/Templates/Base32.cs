using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>RFC 4648 base32 with padding (Go's base32.StdEncoding).</summary>
internal static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(byte[] data)
    {
        var sb = new StringBuilder((data.Length + 4) / 5 * 8);
        for (var i = 0; i < data.Length; i += 5)
        {
            var n = Math.Min(5, data.Length - i);
            ulong buffer = 0;
            for (var j = 0; j < 5; j++)
            {
                buffer = (buffer << 8) | (j < n ? data[i + j] : (byte)0);
            }

            var chars = n switch { 1 => 2, 2 => 4, 3 => 5, 4 => 7, _ => 8 };
            for (var j = 0; j < 8; j++)
            {
                sb.Append(j < chars ? Alphabet[(int)((buffer >> (35 - (j * 5))) & 31)] : '=');
            }
        }

        return sb.ToString();
    }

    public static bool Decode(string s, out byte[] bytes, out string error)
    {
        s = s.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        var output = new List<byte>();
        error = string.Empty;
        bytes = [];
        if (s.Length % 8 != 0)
        {
            error = $"illegal base32 data at input byte {s.Length / 8 * 8}";
            return false;
        }

        for (var i = 0; i < s.Length; i += 8)
        {
            ulong buffer = 0;
            var valid = 0;
            for (var j = 0; j < 8; j++)
            {
                var c = s[i + j];
                if (c == '=')
                {
                    for (var k = j; k < 8; k++)
                    {
                        if (s[i + k] != '=')
                        {
                            error = $"illegal base32 data at input byte {i + k}";
                            return false;
                        }
                    }

                    if (i + 8 != s.Length || valid is not (2 or 4 or 5 or 7))
                    {
                        error = $"illegal base32 data at input byte {i + j}";
                        return false;
                    }

                    break;
                }

                var v = Alphabet.IndexOf(c, StringComparison.Ordinal);
                if (v < 0)
                {
                    error = $"illegal base32 data at input byte {i + j}";
                    return false;
                }

                buffer |= (ulong)v << (35 - (j * 5));
                valid++;
            }

            var n = valid switch { 2 => 1, 4 => 2, 5 => 3, 7 => 4, _ => 5 };
            for (var j = 0; j < n; j++)
            {
                output.Add((byte)(buffer >> (32 - (j * 8))));
            }
        }

        bytes = [.. output];
        return true;
    }
}
