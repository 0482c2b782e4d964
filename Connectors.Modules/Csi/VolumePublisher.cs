using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// Publishes and unpublishes volumes on the node. Calls for the same target are serialised. Everything is
/// rendered in memory first; a first publish that fails leaves no trace (folder, mount) it created, a
/// re-publish that fails keeps the previous files. Both calls are idempotent.
/// </summary>
internal sealed class VolumePublisher(VolumeRenderer renderer, AtomicWriter writer, IOptions<CsiOptions> options) : IDisposable
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public bool UsesTmpfs { get; } = options.Value.Tmpfs switch
    {
        "true" => true,
        "false" => false,
        _ => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess,
    };

    /// <returns>Whether the target already held a volume (a re-publish).</returns>
    public async Task<bool> PublishAsync(VolumeRequest request, CancellationToken cancellationToken)
    {
        var target = request.TargetPath;
        var gate = LockFor(target);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var republish = Directory.Exists(target) && AtomicWriter.HasData(target);
            var files = await renderer.RenderAsync(request, cancellationToken);
            var (created, mounted) = republish ? (false, false) : Prepare(target);
            try
            {
                AtomicWriter.RemoveLeftovers(target);
                writer.Write(target, files);
                return republish;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Undo(target, created, mounted);
                throw new RpcException(GrpcStatusCode.Internal, $"could not write the volume at {target}: {e.Message}");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task UnpublishAsync(string target, CancellationToken cancellationToken)
    {
        var gate = LockFor(target);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(target))
            {
                return;
            }

            try
            {
                if (MountTable.IsMountPoint(target))
                {
                    NativeMethods.Unmount(target);
                }
                else if (!IsOurs(target))
                {
                    throw new RpcException(GrpcStatusCode.FailedPrecondition, $"target_path {target} is not a connectors-csi volume: not removing it");
                }

                Directory.Delete(target, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RpcException(GrpcStatusCode.Internal, $"could not remove the volume at {target}: {e.Message}");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var gate in _locks)
        {
            gate.Dispose();
        }
    }

    /// <summary>Creates the target (kubelet creates only its parent) and mounts a tmpfs on it when configured.</summary>
    private (bool Created, bool Mounted) Prepare(string target)
    {
        var created = false;
        try
        {
            if (!Directory.Exists(target))
            {
                if (!Directory.Exists(Path.GetDirectoryName(target)))
                {
                    throw new RpcException(GrpcStatusCode.FailedPrecondition, $"the parent of target_path {target} does not exist");
                }

                Directory.CreateDirectory(target);
                created = true;
            }
            else if (!IsOurs(target))
            {
                throw new RpcException(GrpcStatusCode.FailedPrecondition, $"target_path {target} is not empty and not a connectors-csi volume");
            }

            var mounted = false;
            if (UsesTmpfs && !MountTable.IsMountPoint(target))
            {
                NativeMethods.MountTmpfs(target, options.Value.MaxVolumeBytes);
                mounted = true;
            }

            return (created, mounted);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Undo(target, created, mounted: false);
            throw new RpcException(GrpcStatusCode.Internal, $"could not prepare the volume at {target}: {e.Message}");
        }
    }

    private static void Undo(string target, bool created, bool mounted)
    {
        if (mounted)
        {
            NativeMethods.Unmount(target);
        }

        if (created)
        {
            Directory.Delete(target, recursive: true);
        }
        else if (Directory.Exists(target))
        {
            AtomicWriter.RemoveLeftovers(target);
        }
    }

    /// <summary>Empty, or holding only entries this driver writes (a <c>..data</c> link, <c>..</c> folders, links into <c>..data</c>).</summary>
    private static bool IsOurs(string target) => new DirectoryInfo(target).EnumerateFileSystemInfos().All(e =>
        e.Name.StartsWith("..", StringComparison.Ordinal)
        || e.LinkTarget?.StartsWith(AtomicWriter.DataLink + "/", StringComparison.Ordinal) == true);

    private SemaphoreSlim LockFor(string target) => _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(target) % (uint)_locks.Length)];
}
