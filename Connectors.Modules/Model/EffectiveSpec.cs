using System.Runtime.CompilerServices;

namespace Connectors.Modules.Model;

/// <summary>
/// A Connector as its class completes it (original §2.1): every <c>ParamSpec.default</c> of the class's
/// <c>params</c>, <c>addressExtensions</c> and, for the Connector's auth type, <c>auth.types[].params</c> and
/// <c>authProbes[].params</c> is the Connector's value when the Connector omits it (no entry of that name, or an
/// entry whose value is null). A value the Connector gives always wins. Probes, the proxy's allowed addresses and
/// rendered configurations all read this view, so a github Connector without <c>addressExtensions.api</c> gets the
/// class's <c>https://api.github.com</c> everywhere. The stored object is never changed: a completed copy is made
/// (metadata and status shared), once per Connector object and class object.
/// </summary>
public static class EffectiveSpec
{
    private static readonly ConditionalWeakTable<Connector, Entry> Cache = new();

    /// <summary>
    /// The Connector with the class's defaults filled in; the same object when the class adds nothing (or is null).
    /// Cached per (Connector object, class object): the watch caches hand out new objects on every change.
    /// </summary>
    public static Connector Of(Connector connector, ConnectorClass? connectorClass)
    {
        ArgumentNullException.ThrowIfNull(connector);
        if (connectorClass is null)
        {
            return connector;
        }

        if (Cache.TryGetValue(connector, out var entry) && ReferenceEquals(entry.Class, connectorClass))
        {
            return entry.Effective;
        }

        var effective = Apply(connector, connectorClass);
        Cache.AddOrUpdate(connector, new Entry(connectorClass, effective));
        return effective;
    }

    /// <summary>The completed copy, computed afresh (no cache); the same object when nothing is missing.</summary>
    public static Connector Apply(Connector connector, ConnectorClass connectorClass)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(connectorClass);
        var spec = connector.Spec;
        var classSpec = connectorClass.Spec;
        var parameters = Complete(spec.Params, classSpec.Params);
        var extensions = Complete(spec.AddressExtensions, classSpec.AddressExtensions);
        var authName = spec.Auth?.Name;
        var authParams = string.IsNullOrEmpty(authName)
            ? null
            : Complete(spec.Auth!.Params, AuthParamSpecs(classSpec, authName));
        if (parameters is null && extensions is null && authParams is null)
        {
            return connector;
        }

        return new Connector
        {
            ApiVersion = connector.ApiVersion,
            Kind = connector.Kind,
            Metadata = connector.Metadata,
            Status = connector.Status,
            Spec = new ConnectorSpec
            {
                Address = spec.Address,
                AddressExtensions = extensions ?? spec.AddressExtensions,
                Auth = authParams is null
                    ? spec.Auth
                    : new ConnectorAuth { Name = spec.Auth!.Name, SecretRef = spec.Auth.SecretRef, Params = authParams },
                CaCertSecretRef = spec.CaCertSecretRef,
                ConnectorClassName = spec.ConnectorClassName,
                Params = parameters ?? spec.Params,
            },
        };
    }

    /// <summary>The auth params a Connector of auth type <paramref name="authName"/> may take: the type's, then its probe's.</summary>
    private static IEnumerable<ParamSpec> AuthParamSpecs(ConnectorClassSpec classSpec, string authName)
    {
        foreach (var param in classSpec.Auth?.Types?.FirstOrDefault(t => t.Name == authName)?.Params ?? [])
        {
            yield return param;
        }

        foreach (var param in classSpec.AuthProbes?.FirstOrDefault(p => p.AuthName == authName)?.Params ?? [])
        {
            yield return param;
        }
    }

    /// <summary>The Connector's values plus a copy of every declared default it omits; null when none is missing.</summary>
    private static List<NamedValue>? Complete(List<NamedValue>? given, IEnumerable<ParamSpec>? declared)
    {
        List<NamedValue>? result = null;
        foreach (var param in declared ?? [])
        {
            if (string.IsNullOrEmpty(param.Name) || param.Default is null)
            {
                continue;
            }

            var existing = (result ?? given)?.FindIndex(v => v.Name == param.Name) ?? -1;
            if (existing >= 0 && (result ?? given)![existing].Value is not null)
            {
                continue;
            }

            result ??= given is null ? [] : [.. given];
            var value = new NamedValue { Name = param.Name, Value = param.Default.DeepClone() };
            if (existing >= 0)
            {
                result[existing] = value;
            }
            else
            {
                result.Add(value);
            }
        }

        return result;
    }

    private sealed record Entry(ConnectorClass Class, Connector Effective);
}
