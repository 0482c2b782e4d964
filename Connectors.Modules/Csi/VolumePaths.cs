namespace Connectors.Modules.Csi;

/// <summary>Checks of <c>volume_id</c> and <c>target_path</c>, shared by publish and unpublish.</summary>
internal static class VolumePaths
{
    /// <returns>The target path without a trailing slash.</returns>
    public static string Check(string volumeId, string targetPath)
    {
        if (string.IsNullOrEmpty(volumeId))
        {
            throw new RpcException(GrpcStatusCode.InvalidArgument, "volume_id is required");
        }

        if (string.IsNullOrEmpty(targetPath))
        {
            throw new RpcException(GrpcStatusCode.InvalidArgument, "target_path is required");
        }

        var trimmed = targetPath.Length > 1 ? targetPath.TrimEnd('/') : targetPath;
        if (trimmed[0] != '/' || trimmed == "/" || trimmed.Contains('\0', StringComparison.Ordinal)
            || trimmed.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new RpcException(GrpcStatusCode.InvalidArgument, $"invalid target_path \"{targetPath}\": want an absolute path without . or .. segments");
        }

        return trimmed;
    }
}
