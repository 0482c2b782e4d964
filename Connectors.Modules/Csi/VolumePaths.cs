using Grpc.Core;
namespace Connectors.Modules.Csi;

/// <summary>Checks of <c>volume_id</c> and <c>target_path</c>, shared by publish and unpublish.</summary>
internal static class VolumePaths
{
    /// <returns>The target path without a trailing slash.</returns>
    public static string Check(string volumeId, string targetPath, CsiOptions options)
    {
        if (string.IsNullOrEmpty(volumeId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "volume_id is required"));
        }

        if (string.IsNullOrEmpty(targetPath))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "target_path is required"));
        }

        var trimmed = targetPath.Length > 1 ? targetPath.TrimEnd('/') : targetPath;
        if (!IsClean(trimmed))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid target_path \"{targetPath}\": want an absolute path without empty, . or .. segments"));
        }

        var root = Root(options);
        if (root != "/" && !trimmed.StartsWith(root + "/", StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"invalid target_path \"{targetPath}\": it is not below kubelet's pods directory {root} (--kubelet-pods-dir), where kubelet puts pod volumes"));
        }

        return trimmed;
    }

    /// <summary>The directory every target must be below: kubelet's pods directory, or <c>/</c> when any target is allowed (embedded mode).</summary>
    public static string Root(CsiOptions options) => options.AnyTarget ? "/" : options.KubeletPodsDir.TrimEnd('/');

    /// <summary>Absolute, not the root, no empty, <c>.</c> or <c>..</c> segment, no NUL.</summary>
    public static bool IsClean(string path) =>
        path.Length > 1 && path[0] == '/' && path[^1] != '/' && !path.Contains('\0', StringComparison.Ordinal)
        && path[1..].Split('/').All(segment => segment is not ("" or "." or ".."));
}
