using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Connectors.Modules.Proxy;

/// <summary>
/// One public key of the ServiceAccount issuer, read from a JWK (RFC 7517/7518: <c>kty</c> RSA with <c>n</c>/<c>e</c>,
/// or EC with <c>crv</c> P-256/P-384/P-521 and <c>x</c>/<c>y</c>), and the JWS algorithms kube-apiserver signs with.
/// </summary>
internal sealed class IssuerKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private IssuerKey(RSA? rsa, ECDsa? ec)
    {
        _rsa = rsa;
        _ec = ec;
    }

    /// <summary>The key of one JWK, or null when its type or curve is not one kube-apiserver uses.</summary>
    public static IssuerKey? FromJwk(JsonElement jwk)
    {
        try
        {
            switch (Text(jwk, "kty"))
            {
                case "RSA" when Bytes(jwk, "n") is { } n && Bytes(jwk, "e") is { } e:
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
                    return new IssuerKey(rsa, null);
                case "EC" when Curve(Text(jwk, "crv")) is { } curve && Bytes(jwk, "x") is { } x && Bytes(jwk, "y") is { } y:
                    var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
                    return new IssuerKey(null, ec);
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="signed"/> is valid for JWS algorithm <paramref name="alg"/>.</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> signature)
    {
        try
        {
            return alg switch
            {
                "RS256" when _rsa is not null => _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                "RS384" when _rsa is not null => _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
                "RS512" when _rsa is not null => _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                "PS256" when _rsa is not null => _rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                "ES256" when _ec is not null => _ec.VerifyData(signed, signature, HashAlgorithmName.SHA256),
                "ES384" when _ec is not null => _ec.VerifyData(signed, signature, HashAlgorithmName.SHA384),
                "ES512" when _ec is not null => _ec.VerifyData(signed, signature, HashAlgorithmName.SHA512),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }

    private static string? Text(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement jwk, string name) => Text(jwk, name) is { } text ? Base64Url.DecodeFromChars(text) : null;

    private static ECCurve? Curve(string? crv) => crv switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => null,
    };
}
