using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// Resolves <c>spec.api</c> and <c>spec.proxy</c> of a ConnectorClass: a Service <c>ref</c> (plus an optional
/// relative <c>uri</c> prefix) becomes the Service's in-cluster URL (<see cref="ServiceAddress"/>); an absolute
/// <c>uri</c> is taken as is.
/// </summary>
internal static class EndpointResolver
{
    /// <param name="field">The spec field, for messages (<c>spec.proxy</c>).</param>
    /// <param name="reference">The Service reference, if any.</param>
    /// <param name="uri">The absolute URL, or the path prefix of <paramref name="reference"/>.</param>
    /// <param name="defaultNamespace">Namespace of a reference without one (the components namespace).</param>
    /// <param name="findService">Looks a Service up by namespace and name; null when it does not exist.</param>
    /// <param name="notFoundReason">Reason when the referenced Service does not exist.</param>
    public static ResolvedEndpoint Resolve(string field, ServiceRef? reference, string? uri, string defaultNamespace,
        Func<string, string, Service?> findService, string notFoundReason)
    {
        if (reference is not null)
        {
            if (!string.IsNullOrEmpty(reference.Kind) && !string.Equals(reference.Kind, "Service", StringComparison.OrdinalIgnoreCase))
            {
                return ResolvedEndpoint.Failed(ConditionReasons.Unsupported, $"{field}.ref.kind \"{reference.Kind}\" is not supported: want Service");
            }

            if (string.IsNullOrEmpty(reference.Name))
            {
                return ResolvedEndpoint.Failed(ConditionReasons.InvalidSpec, $"{field}.ref.name is required");
            }

            if (!string.IsNullOrEmpty(uri) && !uri.StartsWith('/') && uri.Contains("://", StringComparison.Ordinal))
            {
                return ResolvedEndpoint.Failed(ConditionReasons.InvalidSpec, $"{field}.uri \"{uri}\" must be a path when {field}.ref is set");
            }

            var ns = string.IsNullOrEmpty(reference.Namespace) ? defaultNamespace : reference.Namespace;
            var service = findService(ns, reference.Name);
            return service is null
                ? ResolvedEndpoint.Failed(notFoundReason, $"Service {reference.Name} not found in namespace {ns}")
                : ResolvedEndpoint.Resolved(ServiceAddress.Url(service, uri), ServiceAddress.Fqdn(reference.Name, ns));
        }

        if (string.IsNullOrEmpty(uri))
        {
            return ResolvedEndpoint.Failed(ConditionReasons.InvalidSpec, $"{field} needs ref or uri");
        }

        return ConnectorValidator.IsHttpUrl(uri)
            ? ResolvedEndpoint.Resolved(uri.TrimEnd('/'), new Uri(uri).Host)
            : ResolvedEndpoint.Failed(ConditionReasons.InvalidSpec, $"{field}.uri \"{uri}\" is not an http or https URL");
    }
}
