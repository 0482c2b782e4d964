namespace Connectors.Modules.Admission;

/// <summary>
/// A container image reference split as the container runtimes do (distribution/reference): the registry host
/// is the first path component when it has a dot or a port or is <c>localhost</c>, otherwise Docker Hub
/// (<c>docker.io</c>, with <c>library/</c> for one-component names); then the repository path and the tag
/// and/or digest suffix, kept verbatim.
/// </summary>
internal sealed record ImageReference(string Registry, string Repository, string Suffix)
{
    private static readonly string[] DockerHub = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    /// <summary>The parts of <paramref name="image"/>, or null when it is empty or malformed.</summary>
    public static ImageReference? Parse(string? image)
    {
        if (string.IsNullOrWhiteSpace(image) || image.Any(char.IsWhiteSpace))
        {
            return null;
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var suffix = at < 0 ? "" : image[at..];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > slash)
        {
            suffix = name[colon..] + suffix;
            name = name[..colon];
        }

        var first = name.IndexOf('/', StringComparison.Ordinal);
        string registry, repository;
        if (first > 0 && (name[..first].Contains('.', StringComparison.Ordinal) || name[..first].Contains(':', StringComparison.Ordinal) || name[..first] == "localhost"))
        {
            (registry, repository) = (name[..first], name[(first + 1)..]);
        }
        else
        {
            (registry, repository) = ("docker.io", first < 0 ? "library/" + name : name);
        }

        return repository.Length == 0 || name.EndsWith('/') ? null : new ImageReference(registry, repository, suffix);
    }

    /// <summary>Whether this image's registry is the host (and port) of <paramref name="address"/>.</summary>
    public bool IsServedBy(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var colon = Registry.LastIndexOf(':');
        var host = colon < 0 || Registry.EndsWith(']') ? Registry : Registry[..colon];
        var port = colon < 0 || Registry.EndsWith(']') ? (int?)null : int.TryParse(Registry[(colon + 1)..], out var p) ? p : -1;
        var addressPort = address.IsDefaultPort ? (int?)null : address.Port;
        var sameHost = string.Equals(host, address.Host, StringComparison.OrdinalIgnoreCase)
            || DockerHub.Contains(host.ToLowerInvariant()) && DockerHub.Contains(address.Host.ToLowerInvariant());
        return sameHost && (port == addressPort || port == address.Port);
    }
}
