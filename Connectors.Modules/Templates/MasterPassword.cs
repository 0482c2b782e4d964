using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>The Master Password algorithm behind sprig's derivePassword (scrypt N=32768 r=8 p=2, HMAC-SHA256 seed, templates).</summary>
internal static class MasterPassword
{
    private const string Scope = "com.lyndir.masterpassword";

    private static readonly Dictionary<string, string[]> Templates = new(StringComparer.Ordinal)
    {
        ["maximum"] = ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        ["long"] =
        [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv",
            "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        ["medium"] = ["CvcnoCvc", "CvcCvcno"],
        ["short"] = ["Cvcn"],
        ["basic"] = ["aaanaaan", "aannaaan", "aaannaaa"],
        ["pin"] = ["nnnn"],
    };

    private static readonly Dictionary<char, string> Characters = new()
    {
        ['V'] = "AEIOU",
        ['C'] = "BCDFGHJKLMNPQRSTVWXYZ",
        ['v'] = "aeiou",
        ['c'] = "bcdfghjklmnpqrstvwxyz",
        ['A'] = "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        ['a'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        ['n'] = "0123456789",
        ['o'] = "@&%?,=[]_:-+*$#!'^~;()/.",
        ['x'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    };

    public static string Derive(uint counter, string passwordType, string password, string user, string site)
    {
        if (!Templates.TryGetValue(passwordType, out var templates))
        {
            return $"cannot find password template {passwordType}";
        }

        var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), Seeded(user, null), 32768, 8, 2, 64);
        var seed = HMACSHA256.HashData(key, Seeded(site, counter));
        var template = templates[seed[0] % templates.Length];
        var sb = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var chars = Characters[template[i]];
            sb.Append(chars[seed[i + 1] % chars.Length]);
        }

        return sb.ToString();
    }

    private static byte[] Seeded(string text, uint? counter)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Scope));
        var value = Encoding.UTF8.GetBytes(text);
        Span<byte> be = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(be, (uint)value.Length);
        bytes.AddRange(be.ToArray());
        bytes.AddRange(value);
        if (counter is uint c)
        {
            BinaryPrimitives.WriteUInt32BigEndian(be, c);
            bytes.AddRange(be.ToArray());
        }

        return [.. bytes];
    }
}
