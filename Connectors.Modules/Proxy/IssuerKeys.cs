using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Checks ServiceAccount tokens locally with the issuer's public keys (<c>/openid/v1/jwks</c>, which kube-apiserver
/// serves to every ServiceAccount): a token signed with a known key id is verified, and a wrong signature or an
/// expired token is refused without any API call. This is what keeps a flood of made-up tokens from taking the
/// review budget of real ones (see <see cref="AccessReviewer"/>). The keys are read on first use and again when a
/// token names an unknown key id, at most every <see cref="RefreshInterval"/>.
/// </summary>
internal sealed class IssuerKeys(IAccessReviewClient client, TimeProvider timeProvider) : IDisposable
{
    /// <summary>Least time between two reads of the key set.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>Clock skew allowed on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    private const int MaxTokenLength = 16 * 1024;

    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private volatile Dictionary<string, IssuerKey> _keys = [];
    private Task? _pending;
    private long _lastRead = long.MinValue;

    public async ValueTask<TokenPrecheck> CheckAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength || !TryParse(token, out var alg, out var kid, out var dots))
        {
            return TokenPrecheck.Unverified;
        }

        if (!_keys.TryGetValue(kid, out var key))
        {
            await RefreshAsync(cancellationToken);
            if (!_keys.TryGetValue(kid, out key))
            {
                return TokenPrecheck.Unverified;
            }
        }

        var signed = Encoding.ASCII.GetBytes(token, 0, dots.Second);
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(token.AsSpan(dots.Second + 1));
        }
        catch (FormatException)
        {
            return new(TokenShape.Rejected, "the token's signature is not valid");
        }

        if (!key.Verify(alg, signed, signature))
        {
            return new(TokenShape.Rejected, "the token's signature is not valid");
        }

        return CheckTimes(token.AsSpan(dots.First + 1, dots.Second - dots.First - 1));
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private TokenPrecheck CheckTimes(ReadOnlySpan<char> payload)
    {
        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
            var leeway = (long)Leeway.TotalSeconds;
            if (claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expires) && expires + leeway < now)
            {
                return new(TokenShape.Rejected, "the token has expired");
            }

            if (claims.RootElement.TryGetProperty("nbf", out var nbf) && nbf.TryGetInt64(out var notBefore) && notBefore - leeway > now)
            {
                return new(TokenShape.Rejected, "the token is not valid yet");
            }

            return TokenPrecheck.Verified;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return new(TokenShape.Rejected, "the token's claims are not valid JSON");
        }
    }

    /// <summary>A compact JWS: three base64url parts, a header with <c>alg</c> and <c>kid</c>.</summary>
    private static bool TryParse(string token, out string alg, out string kid, out (int First, int Second) dots)
    {
        alg = kid = string.Empty;
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        dots = (first, second);
        if (first <= 0 || second <= first + 1 || second == token.Length - 1 || token.IndexOf('.', second + 1) >= 0)
        {
            return false;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, first)));
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var a) || a.ValueKind != JsonValueKind.String
                || !header.RootElement.TryGetProperty("kid", out var k) || k.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            alg = a.GetString()!;
            kid = k.GetString()!;
            return kid.Length > 0;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Waits (at most <see cref="RefreshWait"/>) for a read of the key set, starting one unless one ran lately.</summary>
    private async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        Task pending;
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            if (_pending is { IsCompleted: false })
            {
                pending = _pending;
            }
            else if (_lastRead != long.MinValue && timeProvider.GetElapsedTime(_lastRead, now) < RefreshInterval)
            {
                return;
            }
            else
            {
                _lastRead = now;
                pending = _pending = ReadAsync();
            }
        }

        try
        {
            await pending.WaitAsync(RefreshWait, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The token goes on unverified; the read finishes in the background.
        }
    }

    private async Task ReadAsync()
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(client.LostToken);
        bounded.CancelAfter(ReadTimeout);
        ReviewCall<System.Text.Json.Nodes.JsonNode> call;
        try
        {
            call = await client.ReadIssuerKeysAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (call.Value is null)
        {
            return;
        }

        var keys = new Dictionary<string, IssuerKey>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(call.Value.ToJsonString());
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("keys", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var jwk in list.EnumerateArray())
            {
                if (jwk.ValueKind == JsonValueKind.Object && jwk.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
                    && IssuerKey.FromJwk(jwk) is { } key)
                {
                    keys[kid.GetString()!] = key;
                }
            }
        }

        // Replaced keys are left to the GC: a check may still be using one.
        _keys = keys;
    }
}
