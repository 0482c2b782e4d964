using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace Connectors.Modules.Templates;

// Sprig's crypto and random functions (crypto.go). Everything random is refused by default; decryptAES is
// deterministic and always available.
internal static partial class SprigFunctions
{
    private const string Alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    private static void RegisterCrypto(FunctionTable t)
    {
        const FunctionEffect random = FunctionEffect.Nondeterministic;
        Add(t, "randAlphaNum", [I], null, a => RandomString(Alpha + Digits, Int(a[0])), random);
        Add(t, "randAlpha", [I], null, a => RandomString(Alpha, Int(a[0])), random);
        Add(t, "randNumeric", [I], null, a => RandomString(Digits, Int(a[0])), random);
        Add(t, "randAscii", [I], null, a => RandomString(string.Concat(Enumerable.Range(32, 95).Select(c => (char)c)), Int(a[0])), random);
        Add(t, "randBytes", [I], null, a => Convert.ToBase64String(RandomNumberGenerator.GetBytes((int)Int(a[0]))), random);
        Add(t, "uuidv4", [], null, _ => Guid.NewGuid().ToString(), random);
        Add(t, "genPrivateKey", [S], null, a => GeneratePrivateKey(Str(a[0])), random);
        Add(t, "encryptAES", [S, S], null, a => EncryptAes(Str(a[0]), Str(a[1])), random);
        Add(t, "decryptAES", [S, S], null, a => DecryptAes(Str(a[0]), Str(a[1])));
    }

    private static string RandomString(string alphabet, long count)
    {
        if (count < 0)
        {
            throw new FunctionCallException("count must be non-negative");
        }

        return RandomNumberGenerator.GetString(alphabet, (int)count);
    }

    /// <summary>sprig's genPrivateKey: PEM of a new rsa (4096), dsa (L2048N256), ecdsa (P-256) or ed25519 key.</summary>
    private static string GeneratePrivateKey(string type)
    {
        switch (type)
        {
            case "" or "rsa":
                using (var rsa = RSA.Create(4096))
                {
                    return rsa.ExportRSAPrivateKeyPem() + "\n";
                }

            case "dsa":
                using (var dsa = DSA.Create(2048))
                {
                    // sprig's DSAKeyFormat: SEQUENCE { version 0, P, Q, G, Y, X } as "DSA PRIVATE KEY".
                    var p = dsa.ExportParameters(includePrivateParameters: true);
                    var writer = new AsnWriter(AsnEncodingRules.DER);
                    using (writer.PushSequence())
                    {
                        writer.WriteInteger(0);
                        foreach (var part in new[] { p.P!, p.Q!, p.G!, p.Y!, p.X! })
                        {
                            writer.WriteIntegerUnsigned(part);
                        }
                    }

                    return new string(PemEncoding.Write("DSA PRIVATE KEY", writer.Encode())) + "\n";
                }

            case "ecdsa":
                using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return ec.ExportECPrivateKeyPem() + "\n";
                }

            case "ed25519":
                {
                    // PKCS#8 of an Ed25519 key holds only the 32-byte seed (RFC 8410), as Go's MarshalPKCS8PrivateKey writes it.
                    var writer = new AsnWriter(AsnEncodingRules.DER);
                    using (writer.PushSequence())
                    {
                        writer.WriteInteger(0);
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier("1.3.101.112");
                        }

                        var seed = new AsnWriter(AsnEncodingRules.DER);
                        seed.WriteOctetString(RandomNumberGenerator.GetBytes(32));
                        writer.WriteOctetString(seed.Encode());
                    }

                    return new string(PemEncoding.Write("PRIVATE KEY", writer.Encode())) + "\n";
                }

            default:
                return "Unknown type " + type;
        }
    }

    private static byte[] AesKey(string password)
    {
        var key = new byte[32];
        var bytes = Encoding.UTF8.GetBytes(password);
        Array.Copy(bytes, key, Math.Min(32, bytes.Length));
        return key;
    }

    private static string EncryptAes(string password, string plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = AesKey(password);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var padding = 16 - (data.Length % 16);
        var padded = data.Concat(Enumerable.Repeat((byte)padding, padding)).ToArray();
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = aes.EncryptCbc(padded, iv, PaddingMode.None);
        return Convert.ToBase64String([.. iv, .. cipher]);
    }

    private static string DecryptAes(string password, string crypt64)
    {
        if (crypt64.Length == 0)
        {
            return string.Empty;
        }

        byte[] crypt;
        try
        {
            crypt = Convert.FromBase64String(crypt64);
        }
        catch (FormatException)
        {
            throw new FunctionCallException($"illegal base64 data at input byte {Base64ErrorOffset(crypt64)}");
        }

        if (crypt.Length < 16)
        {
            // Go slices the decode buffer, whose capacity is DecodedLen of the text.
            throw new FunctionCallException($"runtime error: slice bounds out of range [:16] with capacity {crypt64.Length / 4 * 3}");
        }

        if (crypt.Length % 16 != 0)
        {
            throw new FunctionCallException("crypto/cipher: input not full blocks");
        }

        using var aes = Aes.Create();
        aes.Key = AesKey(password);
        var plain = aes.DecryptCbc(crypt.AsSpan(16), crypt.AsSpan(0, 16), PaddingMode.None);
        var pad = plain.Length == 0 ? 0 : plain[^1];
        return pad > plain.Length ? throw new FunctionCallException("runtime error: slice bounds out of range") : Encoding.UTF8.GetString(plain, 0, plain.Length - pad);
    }
}
