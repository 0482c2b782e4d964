namespace Connectors.Modules.Proxy;

/// <summary>A Connector's namespace and name; written <c>ns/name</c>.</summary>
internal readonly record struct ConnectorKey(string Namespace, string Name)
{
    public override string ToString() => Namespace + "/" + Name;
}
