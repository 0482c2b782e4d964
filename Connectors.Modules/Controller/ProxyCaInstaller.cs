using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Controller;

/// <summary>
/// Creates the proxy's interception CA Secret (<c>connectors-proxy-ca</c> in the components namespace) when it
/// does not exist. An existing Secret is never replaced, even when it looks wrong: rotating a CA silently would
/// break every client that trusts it. A wrong one is logged so an operator can act.
/// </summary>
internal sealed partial class ProxyCaInstaller(KubeClient client, ControllerOptions options, TimeProvider timeProvider, ILogger<ProxyCaInstaller> logger)
{
    /// <returns>True when the Secret exists (created now or before).</returns>
    /// <exception cref="KubeException">The API failed in a way worth retrying.</exception>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        var ns = options.ComponentsNamespace;
        var existing = await client.GetAsync<Secret>(ns, WellKnown.ProxyCaSecretName, cancellationToken);
        if (existing.IsOk)
        {
            if (existing.Value!.Type != SecretTypes.Tls || SecretTypes.RequiredKeys(SecretTypes.Tls).Any(k => existing.Value.Data?.ContainsKey(k) != true))
            {
                Log.Unusable(logger, ns, WellKnown.ProxyCaSecretName);
            }

            return true;
        }

        if (existing.Outcome != KubeOutcome.NotFound)
        {
            throw new KubeException(existing.Outcome, $"read Secret {ns}/{WellKnown.ProxyCaSecretName}: {existing.Message}");
        }

        var created = await client.CreateAsync(ProxyCaGenerator.Create(ns, WellKnown.ProxyCaSecretName, timeProvider.GetUtcNow()), cancellationToken);
        if (created.IsOk || created.Outcome == KubeOutcome.Conflict)
        {
            // Conflict: another replica created it between our read and write; theirs stands.
            Log.Created(logger, ns, WellKnown.ProxyCaSecretName, created.IsOk);
            return true;
        }

        throw new KubeException(created.Outcome, $"create Secret {ns}/{WellKnown.ProxyCaSecretName}: {created.Message}");
    }

    private static partial class Log
    {
        [LoggerMessage(2401, LogLevel.Information, "Proxy CA Secret {Namespace}/{Name} ready (created by this instance: {Created})")]
        public static partial void Created(ILogger logger, string @namespace, string name, bool created);

        [LoggerMessage(2402, LogLevel.Warning, "Proxy CA Secret {Namespace}/{Name} is not a kubernetes.io/tls Secret with tls.crt and tls.key; it is left as is (never rotated silently)")]
        public static partial void Unusable(ILogger logger, string @namespace, string name);
    }
}
