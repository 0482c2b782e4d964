using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// Publishes and unpublishes volumes on the node. Calls for the same target are serialised. Everything is
/// rendered in memory first; a first publish that fails leaves no trace (folder, mount) it created, a
/// re-publish that fails keeps the previous files. Both calls are idempotent. The target is opened through
/// <see cref="TargetDirectory"/> (no symbolic link below the root) and written through its handle; unpublish
/// removes the driver's mounts only (<see cref="VolumeMounts"/>).
/// </summary>
internal sealed class VolumePublisher(VolumeRenderer renderer, AtomicWriter writer, IOptions<CsiOptions> options) : IDisposable
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly string _root = VolumePaths.Root(options.Value);

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
            // The target is checked before anything is asked of the API or rendered.
            bool republish;
            using (var existing = Open(target, create: false))
            {
                republish = existing is not null && AtomicWriter.HasData(existing.WorkPath);
            }

            var files = await renderer.RenderAsync(request, cancellationToken);
            var (directory, created, mounted) = (republish ? Open(target, create: false) : null) is { } current ? (current, false, false) : Prepare(target);
            using (directory)
            {
                try
                {
                    AtomicWriter.RemoveLeftovers(directory.WorkPath);
                    writer.Write(directory.WorkPath, files);
                    return republish;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Undo(directory, created, mounted);
                    throw new RpcException(new Status(StatusCode.Internal, $"could not write the volume at {target}: {e.Message.Replace(directory.WorkPath, target, StringComparison.Ordinal)}"));
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <returns>A mount the driver did not make, left in place at the target; null when the target is gone or was never there.</returns>
    public async Task<MountEntry?> UnpublishAsync(string target, CancellationToken cancellationToken)
    {
        var gate = LockFor(target);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (VolumeMounts.RemoveAll(target, _root) is { } foreign)
            {
                // CSI NodeUnpublishVolume: the volume is not published there, so the answer is OK; the mount is not ours to remove.
                return foreign;
            }

            using var directory = TargetDirectory.Open(target, _root, create: false);
            if (directory is null)
            {
                return null;
            }

            if (!AtomicWriter.IsVolumeOrEmpty(directory.WorkPath))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"target_path {target} is not a connectors-csi volume: not removing it"));
            }

            Directory.Delete(directory.EntryPath, recursive: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"could not remove the volume at {target}: {e.Message}"));
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

    private TargetDirectory? Open(string target, bool create)
    {
        try
        {
            return TargetDirectory.Open(target, _root, create);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"could not open target_path {target}: {e.Message}"));
        }
    }

    /// <summary>
    /// Creates the target (kubelet creates only its parent) and mounts a tmpfs on it when configured. A target that
    /// holds something else, or is a mount the driver did not make, is refused.
    /// </summary>
    private (TargetDirectory Directory, bool Created, bool Mounted) Prepare(string target)
    {
        var directory = Open(target, create: true)!;
        var mounted = false;
        try
        {
            var top = MountTable.StackAt(MountTable.Read(), directory.RealPath).LastOrDefault();
            if (top is not null && !VolumeMounts.IsDrivers(top, directory))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"target_path {target} is a {top} mount that connectors-csi did not make: not publishing into it"));
            }

            if (!directory.Created && !AtomicWriter.IsVolumeOrEmpty(directory.WorkPath))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"target_path {target} is not empty and not a connectors-csi volume"));
            }

            if (UsesTmpfs && top is null)
            {
                var onMount = VolumeMounts.Mount(directory, _root, options.Value.MaxVolumeBytes);
                mounted = true;
                var created = directory.Created;
                directory.Dispose();
                return (onMount, created, mounted);
            }

            return (directory, directory.Created, mounted);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RpcException)
        {
            Undo(directory, directory.Created, mounted);
            directory.Dispose();
            throw e as RpcException ?? new RpcException(new Status(StatusCode.Internal, $"could not prepare the volume at {target}: {e.Message}"));
        }
    }

    private void Undo(TargetDirectory directory, bool created, bool mounted)
    {
        if (mounted)
        {
            VolumeMounts.RemoveAll(directory.Path, _root);
        }

        if (created)
        {
            // Opened again: after the unmount, the directory below the mount.
            using var again = TargetDirectory.Open(directory.Path, _root, create: false);
            if (again is not null)
            {
                Directory.Delete(again.EntryPath, recursive: true);
            }
        }
        else if (TargetDirectory.Open(directory.Path, _root, create: false) is { } existing)
        {
            using (existing)
            {
                AtomicWriter.RemoveLeftovers(existing.WorkPath);
            }
        }
    }

    private SemaphoreSlim LockFor(string target) => _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(target) % (uint)_locks.Length)];
}
