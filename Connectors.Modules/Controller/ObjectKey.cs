namespace Connectors.Modules.Controller;

/// <summary>The key of one queued object: namespace (empty for cluster-scoped kinds) and name.</summary>
/// <param name="Namespace">The namespace; empty for cluster-scoped objects.</param>
/// <param name="Name">The object name.</param>
internal readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary><c>ns/name</c>, or just the name for cluster-scoped objects (how logs write a resource).</summary>
    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}
