using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Connectors.Modules.Model;

/// <summary>
/// The CA certificates a Connector trusts in addition to the system's (<c>spec.caCertSecretRef</c>): read from the
/// Secret's keys ending in <c>.crt</c> or <c>.pem</c>, or whose value holds a PEM certificate; other keys are
/// ignored. Probes and the proxy check a tool's certificate against the system CAs first and, only on a chain
/// error, against a chain rooted in this bundle.
/// </summary>
public sealed class CaBundle
{
    private const string PemHeader = "-----BEGIN CERTIFICATE-----";

    private CaBundle(X509Certificate2Collection certificates)
    {
        Certificates = certificates;
        Key = string.Join(',', certificates.Select(c => c.Thumbprint).Order(StringComparer.Ordinal));
    }

    public X509Certificate2Collection Certificates { get; }

    /// <summary>Identifies the set of certificates (sorted SHA-1 thumbprints), for caching one client per bundle.</summary>
    public string Key { get; }

    /// <summary>
    /// Whether <paramref name="secret"/> belongs to the cluster-wide pool (flag <c>enable-custom-ca-certs</c>): a
    /// Secret of the components namespace labelled <c>connectors.cpaas.io/ca-cert: "true"</c>.
    /// </summary>
    public static bool IsPoolMember(Secret secret) =>
        string.Equals(secret?.Metadata.Labels?.GetValueOrDefault(WellKnown.CaCertLabel), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The pool from the components namespace's Secrets: every labelled, readable one (null = none).</summary>
    public static CaBundle? Pool(IEnumerable<Secret> componentsSecrets) =>
        Combine(componentsSecrets.Where(IsPoolMember).Select(FromSecret));

    /// <summary>One bundle with the certificates of all <paramref name="parts"/>, each once (null = none).</summary>
    public static CaBundle? Combine(IEnumerable<CaBundle?> parts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var certificates = new X509Certificate2Collection();
        foreach (var part in parts)
        {
            foreach (var certificate in part?.Certificates ?? [])
            {
                if (seen.Add(certificate.Thumbprint))
                {
                    certificates.Add(certificate);
                }
            }
        }

        return certificates.Count == 0 ? null : new CaBundle(certificates);
    }

    /// <summary>Reads the bundle; null when the Secret has no usable certificate (<see cref="TryRead"/> says why).</summary>
    public static CaBundle? FromSecret(Secret secret) => TryRead(secret, out var bundle, out _) ? bundle : null;

    /// <summary>
    /// Reads every candidate key of <paramref name="secret"/>. Fails when there is no candidate, when a candidate
    /// does not parse as PEM certificates, or when none yields a certificate. The answer is kept per Secret object:
    /// a watch cache never changes one in place (a change is a new object), so each version is parsed once however
    /// many reconciles, pool refreshes and connection pools read it.
    /// </summary>
    public static bool TryRead(Secret secret, out CaBundle? bundle, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var read = Reads.GetValue(secret, Read);
        (bundle, problem) = (read.Bundle, read.Problem);
        return bundle is not null;
    }

    private static readonly ConditionalWeakTable<Secret, ReadResult> Reads = new();

    private static ReadResult Read(Secret secret)
    {
        var certificates = new X509Certificate2Collection();
        var candidates = 0;
        foreach (var (key, text) in Values(secret))
        {
            if (!key.EndsWith(".crt", StringComparison.Ordinal) && !key.EndsWith(".pem", StringComparison.Ordinal)
                && !text.Contains(PemHeader, StringComparison.Ordinal))
            {
                continue;
            }

            candidates++;
            try
            {
                var before = certificates.Count;
                certificates.ImportFromPem(text);
                if (certificates.Count == before)
                {
                    return new ReadResult(null, $"key \"{key}\" holds no PEM certificate");
                }
            }
            catch (CryptographicException)
            {
                return new ReadResult(null, $"key \"{key}\" is not valid PEM certificate data");
            }
        }

        return candidates == 0
            ? new ReadResult(null, "no key ending in .crt or .pem and no PEM certificate value")
            : new ReadResult(new CaBundle(certificates), null);
    }

    /// <summary>A TLS validation callback: system trust first; on a chain error only, a chain rooted in this bundle.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || Certificates.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(Certificates);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private static IEnumerable<(string Key, string Text)> Values(Secret secret)
    {
        foreach (var (key, bytes) in secret.Data ?? [])
        {
            yield return (key, Encoding.UTF8.GetString(bytes));
        }

        foreach (var (key, text) in secret.StringData ?? [])
        {
            if (secret.Data?.ContainsKey(key) != true)
            {
                yield return (key, text);
            }
        }
    }

    private sealed record ReadResult(CaBundle? Bundle, string? Problem);
}
