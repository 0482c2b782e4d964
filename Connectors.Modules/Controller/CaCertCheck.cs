using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// A Connector's own CAs (<c>spec.caCertSecretRef</c>): the bundle its probes trust besides the system CAs, and,
/// when flag <c>enable-custom-ca-certs</c> is <c>true</c> in ConfigMap <c>connectors-config</c>, the
/// <c>CACertReady</c> condition (severity Info: it never makes the Connector not Ready) and the cluster-wide pool:
/// Secrets of the components namespace labelled <c>connectors.cpaas.io/ca-cert: "true"</c>, trusted for every Connector.
/// </summary>
internal sealed class CaCertCheck(ControllerCaches caches, ControllerOptions options)
{
    private const string InfoSeverity = "Info";

    /// <summary>Whether <c>CACertReady</c> is written (flag on); when off the condition is removed.</summary>
    public bool ConditionEnabled =>
        FeatureFlags.IsEnabled(caches.Flags.Get(options.ComponentsNamespace, WellKnown.ConfigMapName), FeatureFlags.CustomCaCerts);

    /// <summary>
    /// The condition (about the Connector's own reference) and the bundle its probes trust besides the system CAs:
    /// its own certificates, plus the pool when the flag is on (null = system CAs only).
    /// </summary>
    public (ConditionState State, CaBundle? Bundle) Check(Connector connector)
    {
        var (state, own) = CheckOwn(connector);
        return ConditionEnabled
            ? (state, CaBundle.Combine([CaBundle.Pool(caches.Secrets.List(options.ComponentsNamespace)), own]))
            : (state, own);
    }

    private (ConditionState State, CaBundle? Bundle) CheckOwn(Connector connector)
    {
        if (connector.Spec.CaCertSecretRef?.Name is not { Length: > 0 } name)
        {
            return (Info(ConditionStatus.True, ConditionReasons.NoCACert, "no spec.caCertSecretRef: the system CAs only"), null);
        }

        var secret = caches.Secrets.Get(connector.Metadata.Namespace, name);
        if (secret is null)
        {
            return (Info(ConditionStatus.False, ConditionReasons.SecretNotFound, $"CA certificate secret \"{name}\" not found in namespace \"{connector.Metadata.Namespace}\""), null);
        }

        return CaBundle.TryRead(secret, out var bundle, out var problem)
            ? (Info(ConditionStatus.True, ConditionReasons.Valid, $"CA certificate loaded from secret \"{name}\""), bundle)
            : (Info(ConditionStatus.False, ConditionReasons.InvalidPem, $"Secret \"{name}\" contains invalid PEM data: {problem}"), null);
    }

    private static ConditionState Info(string status, string reason, string message) => new(status, reason, message, InfoSeverity);
}
