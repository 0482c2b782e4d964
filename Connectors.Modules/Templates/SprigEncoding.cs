using System.Security.Cryptography;
using System.Text;

namespace Connectors.Modules.Templates;

// Sprig's encodings, hashes, JSON and type functions.
internal static partial class SprigFunctions
{
    private static void RegisterEncoding(FunctionTable t)
    {
        Add(t, "b64enc", [S], null, a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a[0]))));
        Add(t, "b64dec", [S], null, a => Base64Decode(Str(a[0])));
        Add(t, "b32enc", [S], null, a => Base32.Encode(Encoding.UTF8.GetBytes(Str(a[0]))));
        Add(t, "b32dec", [S], null, a => Base32.Decode(Str(a[0]), out var bytes, out var error) ? Encoding.UTF8.GetString(bytes) : error);
#pragma warning disable CA5350 // sha1sum is part of sprig's contract; it hashes, it does not protect anything.
        Add(t, "sha1sum", [S], null, a => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Str(a[0])))));
#pragma warning restore CA5350
        Add(t, "sha256sum", [S], null, a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Str(a[0])))));
        Add(t, "adler32sum", [S], null, a => Adler32(Encoding.UTF8.GetBytes(Str(a[0]))).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(t, "toJson", [A], null, a => GoJson.TryMarshal(a[0], escapeHtml: true, indent: false, out var s) ? s : string.Empty);
        Add(t, "toPrettyJson", [A], null, a => GoJson.TryMarshal(a[0], escapeHtml: true, indent: true, out var s) ? s : string.Empty);
        Add(t, "toRawJson", [A], null, a => GoJson.TryMarshal(a[0], escapeHtml: false, indent: false, out var s) ? s : string.Empty);
        Add(t, "mustToJson", [A], null, a => GoJson.TryMarshal(a[0], escapeHtml: true, indent: false, out var s) ? s : throw new FunctionCallException(s));
        Add(t, "mustToPrettyJson", [A], null, a => GoJson.TryMarshal(a[0], escapeHtml: true, indent: true, out var s) ? s : throw new FunctionCallException(s));
        Add(t, "mustToRawJson", [A], null, a => GoJson.TryMarshal(a[0], escapeHtml: false, indent: false, out var s) ? s : throw new FunctionCallException(s));
        Add(t, "fromJson", [S], null, a => GoJson.TryUnmarshal(Str(a[0]), out var v, out _) ? v : null);
        Add(t, "mustFromJson", [S], null, a => GoJson.TryUnmarshal(Str(a[0]), out var v, out var error) ? v : throw new FunctionCallException(error!));
    }

    private static void RegisterReflection(FunctionTable t)
    {
        Add(t, "typeOf", [A], null, a => GoTypes.TypeName(a[0]));
        Add(t, "kindOf", [A], null, a => GoTypes.KindName(a[0]));
        Add(t, "typeIs", [S, A], null, a => Str(a[0]) == GoTypes.TypeName(a[1]));
        Add(t, "typeIsLike", [S, A], null, a => Str(a[0]) == GoTypes.TypeName(a[1]) || "*" + Str(a[0]) == GoTypes.TypeName(a[1]));
        Add(t, "kindIs", [S, A], null, a => Str(a[0]) == GoTypes.KindName(a[1]));
        Add(t, "deepEqual", [A, A], null, a => GoDeepEqual.Equal(a[0], a[1]));
        Add(t, "default", [A], A, a => a.Length < 2 || Empty(a[1]) ? a[0] : a[1]);
        Add(t, "empty", [A], null, a => Empty(a[0]));
        Add(t, "coalesce", [], A, a => a.FirstOrDefault(x => !Empty(x)));
        Add(t, "all", [], A, a => a.All(x => !Empty(x)));
        Add(t, "any", [], A, a => a.Any(x => !Empty(x)));
        Add(t, "ternary", [A, A, ParamKind.Bool], null, a => (bool)a[2]! ? a[0] : a[1]);
        Add(t, "fail", [S], null, a => throw new FunctionCallException(Str(a[0])));
        Add(t, "env", [S], null, a => Environment.GetEnvironmentVariable(Str(a[0])) ?? string.Empty, FunctionEffect.Environment);
        Add(t, "expandenv", [S], null, a => ExpandEnv(Str(a[0])), FunctionEffect.Environment);
        Add(t, "getHostByName", [S], null, a => GetHostByName(Str(a[0])), FunctionEffect.Network);
    }

    private static string Base64Decode(string s)
    {
        var buffer = new byte[(s.Length * 3 / 4) + 3];
        if (s.Length % 4 == 0 && !s.AsSpan().ContainsAny(" \t") && Convert.TryFromBase64String(s, buffer, out var written))
        {
            return Encoding.UTF8.GetString(buffer, 0, written);
        }

        // sprig returns Go's error text instead of the decoded value.
        return $"illegal base64 data at input byte {Base64ErrorOffset(s)}";
    }

    private static int Base64ErrorOffset(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var i = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] is '\r' or '\n')
            {
                continue;
            }

            if (!alphabet.Contains(s[i], StringComparison.Ordinal))
            {
                break;
            }
        }

        if (i < s.Length && s[i] == '=')
        {
            return i;
        }

        return i < s.Length ? i : Math.Max(0, s.Length / 4 * 4);
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var d in data)
        {
            a = (a + d) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    private static string ExpandEnv(string s)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '$' || i + 1 >= s.Length)
            {
                sb.Append(s[i]);
                continue;
            }

            string name;
            if (s[i + 1] == '{')
            {
                var end = s.IndexOf('}', i + 2);
                if (end < 0)
                {
                    sb.Append(s[i]);
                    continue;
                }

                name = s[(i + 2)..end];
                i = end;
            }
            else
            {
                var j = i + 1;
                while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] == '_'))
                {
                    j++;
                }

                name = s[(i + 1)..j];
                i = j - 1;
            }

            sb.Append(Environment.GetEnvironmentVariable(name));
        }

        return sb.ToString();
    }

    private static string GetHostByName(string name)
    {
        var addresses = System.Net.Dns.GetHostAddresses(name);
        return addresses.Length == 0 ? string.Empty : addresses[0].ToString();
    }
}
