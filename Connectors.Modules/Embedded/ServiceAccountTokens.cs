using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Issues and verifies ServiceAccount tokens: JWTs signed with ES256 (an ECDSA P-256 key made at start), with
/// the claims kube-apiserver puts in bound tokens (iss, sub, aud, exp, iat, nbf, jti and <c>kubernetes.io</c>).
/// </summary>
internal sealed class ServiceAccountTokens(ECDsa key, string issuer, TimeProvider time)
{
    public string Issuer { get; } = issuer;

    public string KeyId { get; } = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>A signed token for <paramref name="subject"/>, valid for <paramref name="lifetime"/> from now.</summary>
    public (string Token, DateTimeOffset Expires) Issue(TokenSubject subject, IReadOnlyList<string> audiences, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var kubernetes = new JsonObject
        {
            ["namespace"] = subject.Namespace,
            ["serviceaccount"] = new JsonObject { ["name"] = subject.ServiceAccount, ["uid"] = subject.ServiceAccountUid },
        };
        if (subject.PodName is not null)
        {
            kubernetes["pod"] = new JsonObject { ["name"] = subject.PodName, ["uid"] = subject.PodUid };
        }

        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = $"system:serviceaccount:{subject.Namespace}:{subject.ServiceAccount}",
        };
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = KeyId };
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return (signingInput + "." + Base64Url.EncodeToString(signature), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The token's claims when the signature, issuer and validity window check out; otherwise why not.</summary>
    public (TokenClaims? Claims, string? Error) Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, "invalid bearer token");
        }

        JsonObject payload;
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))?.AsObject();
            if ((string?)header?["alg"] != "ES256" ||
                !key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256))
            {
                return (null, "invalid bearer token, square/go-jose: error in cryptographic primitive");
            }

            payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, "invalid bearer token");
        }

        if ((string?)payload["iss"] != Issuer)
        {
            return (null, "invalid bearer token, token issuer is not recognized");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if ((long?)payload["exp"] is not { } exp || exp <= now)
        {
            return (null, "invalid bearer token, service account token has expired");
        }

        if ((long?)payload["nbf"] is { } nbf && nbf > now + 60)
        {
            return (null, "invalid bearer token, service account token is not valid yet");
        }

        var kubernetes = payload["kubernetes.io"];
        var audiences = payload["aud"] switch
        {
            JsonArray a => a.Select(v => (string?)v ?? "").ToList(),
            JsonValue v => [(string?)v ?? ""],
            _ => [],
        };
        var claims = new TokenClaims(
            new TokenSubject(
                (string?)kubernetes?["namespace"] ?? "",
                (string?)kubernetes?["serviceaccount"]?["name"] ?? "",
                (string?)kubernetes?["serviceaccount"]?["uid"] ?? "",
                (string?)kubernetes?["pod"]?["name"],
                (string?)kubernetes?["pod"]?["uid"]),
            audiences,
            DateTimeOffset.FromUnixTimeSeconds(exp),
            (string?)payload["jti"]);
        return (claims, null);
    }

    /// <summary>The public key as a JWK Set (<c>/openid/v1/jwks</c>).</summary>
    public JsonObject Jwks()
    {
        var p = key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["use"] = "sig",
                ["kty"] = "EC",
                ["kid"] = KeyId,
                ["crv"] = "P-256",
                ["alg"] = "ES256",
                ["x"] = Base64Url.EncodeToString(p.Q.X),
                ["y"] = Base64Url.EncodeToString(p.Q.Y),
            }),
        };
    }

    private static string Encode(JsonObject node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));
}

/// <summary>Whom a token speaks for: a ServiceAccount, and the pod it is bound to if any.</summary>
internal sealed record TokenSubject(string Namespace, string ServiceAccount, string ServiceAccountUid, string? PodName = null, string? PodUid = null);

/// <summary>The verified content of a ServiceAccount token.</summary>
internal sealed record TokenClaims(TokenSubject Subject, IReadOnlyList<string> Audiences, DateTimeOffset Expires, string? Id);
