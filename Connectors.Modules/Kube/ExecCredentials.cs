using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Kube;

/// <summary>
/// Runs a client-go exec credential plugin (<c>client.authentication.k8s.io/v1</c> ExecCredential) and caches its
/// token or client certificate until the returned <c>expirationTimestamp</c>, or until a 401 asks for a fresh one.
/// </summary>
internal sealed class ExecCredentials(ExecConfig config, Uri server, TimeProvider timeProvider) : ICredentialSource, IDisposable
{
    /// <summary>How long one plugin run may take.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthenticationHeaderValue? _header;
    private X509Certificate2? _certificate;
    private DateTimeOffset? _expires;
    private bool _valid;

    public X509Certificate2? ClientCertificate => _certificate;

    public async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (refresh || !_valid || (_expires is { } expires && timeProvider.GetUtcNow() >= expires))
            {
                var output = await ExecRunner.RunAsync(config, ExecInfo(), RunTimeout, cancellationToken);
                Accept(output);
            }

            return _header;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string ExecInfo()
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (config.ProvideClusterInfo)
        {
            spec["cluster"] = new JsonObject { ["server"] = server.ToString() };
        }

        return new JsonObject { ["apiVersion"] = config.ApiVersion, ["kind"] = "ExecCredential", ["spec"] = spec }.ToJsonString();
    }

    private void Accept(string output)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(output);
        }
        catch (JsonException e)
        {
            throw Fail($"printed invalid JSON: {e.Message}");
        }

        if (root?["kind"]?.GetValue<string>() != "ExecCredential" || root["apiVersion"]?.GetValue<string>() != config.ApiVersion)
        {
            throw Fail($"did not print an ExecCredential of {config.ApiVersion}");
        }

        var status = root["status"] ?? throw Fail("printed an ExecCredential without status");
        var token = status["token"]?.GetValue<string>();
        var certData = status["clientCertificateData"]?.GetValue<string>();
        var keyData = status["clientKeyData"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(certData) || string.IsNullOrEmpty(keyData)))
        {
            throw Fail("returned neither a token nor a client certificate and key");
        }

        X509Certificate2? certificate = null;
        if (!string.IsNullOrEmpty(certData) && !string.IsNullOrEmpty(keyData))
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(certData, keyData);
            }
            catch (CryptographicException e)
            {
                throw Fail($"returned an unusable client certificate: {e.Message}");
            }
        }

        DateTimeOffset? expires = null;
        if (status["expirationTimestamp"]?.GetValue<string>() is { Length: > 0 } stamp)
        {
            expires = DateTimeOffset.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw Fail($"returned an invalid expirationTimestamp \"{stamp}\"");
        }

        _header = string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
        _certificate = certificate;
        _expires = expires;
        _valid = true;
    }

    private KubeConfigException Fail(string what) => new($"{config.Source}: exec plugin \"{config.Command}\" {what}");
}
