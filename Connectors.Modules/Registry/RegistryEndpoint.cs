namespace Connectors.Modules.Registry;

/// <summary>What a distribution API path addresses.</summary>
internal enum RegistryEndpoint
{
    /// <summary><c>/v2/</c>: the API version check.</summary>
    Base,

    /// <summary><c>/v2/_catalog</c>.</summary>
    Catalog,

    /// <summary><c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>.</summary>
    Manifest,

    /// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>.</summary>
    Blob,

    /// <summary><c>/v2/&lt;name&gt;/blobs/uploads/[&lt;session&gt;]</c>.</summary>
    Upload,

    /// <summary><c>/v2/&lt;name&gt;/tags/list</c>.</summary>
    Tags,

    /// <summary><c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>.</summary>
    Referrers,
}
