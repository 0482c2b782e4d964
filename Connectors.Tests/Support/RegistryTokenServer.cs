using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Support;

/// <summary>
/// The tests' own distribution token service: <c>GET /token?service=&amp;scope=...</c> with Basic credentials answers an
/// ES256 JWT whose header carries the signing certificate (<c>x5c</c>), which distribution verifies against its
/// <c>auth.token.rootcertbundle</c> (the self-signed certificate of <see cref="CertificatePem"/>). The right account
/// gets every scope it asks for; anonymous callers get pull only; a wrong password gets 401. Answers use
/// <c>access_token</c> or <c>token</c> as <see cref="UseAccessToken"/> says.
/// </summary>
internal sealed class RegistryTokenServer : IAsyncDisposable
{
    public const string Service = "connectors-test-registry";
    public const string Issuer = "connectors-test-issuer";

    private readonly ECDsa _key;
    private readonly X509Certificate2 _certificate;
    private ToolServer _server = null!;
    private int _issued;
    private int _refused;

    private RegistryTokenServer()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=connectors test token issuer", _key, HashAlgorithmName.SHA256);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    public string Realm => _server.BaseAddress + "token";

    public string CertificatePem => _certificate.ExportCertificatePem();

    public int Issued => Volatile.Read(ref _issued);

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The scopes of every token request, in order.</summary>
    public List<string> ScopesAsked { get; } = [];

    public bool UseAccessToken { get; set; }

    /// <summary>The lifetime written as <c>expires_in</c> and into the token.</summary>
    public int ExpiresIn { get; set; } = 300;

    public IEnumerable<RecordedRequest> Requests => _server.Requests;

    public static async Task<RegistryTokenServer> StartAsync(CancellationToken cancellationToken)
    {
        var tokens = new RegistryTokenServer();
        tokens._server = await ToolServer.StartAsync(tokens.HandleAsync, cancellationToken);
        return tokens;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var user = Authenticate(context.Request.Headers.Authorization.ToString(), out var rejected);
        if (rejected)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = 401;
            return;
        }

        var scopes = context.Request.Query["scope"].Select(s => s ?? string.Empty).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        lock (ScopesAsked)
        {
            ScopesAsked.Add(string.Join(' ', scopes));
        }

        var access = new JsonArray();
        foreach (var scope in scopes)
        {
            var parts = scope.Split(':');
            if (parts.Length != 3)
            {
                continue;
            }

            var actions = parts[2].Split(',').Where(a => user is not null || a == "pull").Select(a => (JsonNode)JsonValue.Create(a)!).ToArray();
            access.Add(new JsonObject { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = new JsonArray(actions) });
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = user ?? string.Empty,
            ["aud"] = context.Request.Query["service"].ToString(),
            ["exp"] = now + ExpiresIn,
            ["nbf"] = now - 5,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        // JWS ES256 (RFC 7518 3.4): the raw R||S form, which is .NET's default IEEE P1363 format.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        var jwt = signingInput + "." + Base64Url(signature);
        Interlocked.Increment(ref _issued);
        var answer = new JsonObject { [UseAccessToken ? "access_token" : "token"] = jwt, ["expires_in"] = ExpiresIn };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    private static string? Authenticate(string authorization, out bool rejected)
    {
        rejected = false;
        if (string.IsNullOrEmpty(authorization))
        {
            return null;
        }

        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            rejected = true;
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..]));
        rejected = decoded != DistributionRegistry.User + ":" + DistributionRegistry.Password;
        return rejected ? null : DistributionRegistry.User;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
