using System.Diagnostics;
using Connectors.Modules.Csi;
using Connectors.Tests.Support;
using Grpc.Core;

namespace Connectors.Tests.Csi;

/// <summary>
/// Where the driver publishes and what unpublish removes: real directories below kubelet's pods directory only,
/// no symbolic link anywhere below it, and only the driver's own tmpfs mounts are unmounted. Runs as root with
/// real tmpfs mounts (the driver's pods directory is the test's temp folder).
/// </summary>
[TestFixture]
[Platform("Linux")]
[NonParallelizable]
public sealed class VolumeTargetTests
{
    [Test, CancelAfter(20_000)]
    public async Task Publish_TargetIsSymlinkToOutsideDirectory_RefusedAndNothingMounted(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        using var outside = new TempDirectory();
        var target = PodVolume(driver);
        File.CreateSymbolicLink(target, outside.Path);

        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Status.Detail, Does.Contain($"{target} is a symbolic link (to {outside.Path})"));
            Assert.That(MountsUnder(outside.Path), Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(outside.Path), Is.Empty);
            Assert.That(driver.Kube.TokenRequests, Is.Empty, "a refused target costs no token");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_SymlinkInParentComponent_RefusedAndNothingCreated(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        using var outside = new TempDirectory();
        Directory.CreateDirectory(outside.Combine("volumes"));
        var pod = driver.Directory.Combine("pods", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(pod)!);
        File.CreateSymbolicLink(pod, outside.Path);
        var target = Path.Combine(pod, "volumes", "mount");

        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Status.Detail, Does.Contain($"{pod} is a symbolic link"));
            Assert.That(MountsUnder(outside.Path), Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(outside.Combine("volumes")), Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_TargetOutsidePodsDir_Refused(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        using var outside = new TempDirectory();
        var target = outside.Combine("mount");

        var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Status.Detail, Does.Contain($"is not below kubelet's pods directory {driver.Directory.Path}"));
            Assert.That(Directory.Exists(target), Is.False);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_AnyTarget_AcceptsRealDirectoryOutsidePodsDir(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken, anyTarget: true);
        using var outside = new TempDirectory();
        var target = outside.Combine("mount");
        try
        {
            await driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken);
            Assert.That(await File.ReadAllTextAsync(Path.Combine(target, "context.token"), cancellationToken), Is.EqualTo("token-team-builder-1"));
        }
        finally
        {
            UnmountAllUnder(outside.Path);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Unpublish_AfterPublish_LeavesNothingMounted(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = PodVolume(driver);
        try
        {
            await driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken);
            var published = MountsUnder(target);
            await driver.UnpublishAsync("v", target, cancellationToken);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(published.Select(m => (m.MountPoint, m.FileSystem, m.Source)), Is.EqualTo(new[] { (target, "tmpfs", "connectors-csi") }));
                Assert.That(MountsUnder(target), Is.Empty);
                Assert.That(Directory.Exists(target), Is.False);
            }
        }
        finally
        {
            UnmountAllUnder(driver.Directory.Path);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Unpublish_StackedDriverMounts_RemovesThemAll(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = PodVolume(driver);
        try
        {
            await driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken);
            // What two racing first publishes of an older driver could leave: a second tmpfs of the driver on top.
            NativeMethods.MountTmpfs(target, 1 << 20);
            Assert.That(MountsUnder(target), Has.Count.EqualTo(2));

            await driver.UnpublishAsync("v", target, cancellationToken);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(MountsUnder(target), Is.Empty);
                Assert.That(Directory.Exists(target), Is.False);
            }
        }
        finally
        {
            UnmountAllUnder(driver.Directory.Path);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Unpublish_ForeignMount_LeavesItMountedAndSucceeds(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = PodVolume(driver);
        Directory.CreateDirectory(target);
        try
        {
            await MountForeignAsync(target, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(target, "precious"), "x", cancellationToken);

            await driver.UnpublishAsync("v", target, cancellationToken);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(MountsUnder(target).Select(m => m.Source), Is.EqualTo(new[] { "foreign" }));
                Assert.That(File.Exists(Path.Combine(target, "precious")), Is.True);
            }
        }
        finally
        {
            UnmountAllUnder(driver.Directory.Path);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Unpublish_ForeignMountOverDriversVolume_RefusesAndLeavesBoth(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = PodVolume(driver);
        try
        {
            await driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken);
            await MountForeignAsync(target, cancellationToken);

            var error = await Assert.ThrowsAsync<RpcException>(() => driver.UnpublishAsync("v", target, cancellationToken));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
                Assert.That(error.Status.Detail, Does.Contain("under a tmpfs from foreign mount that connectors-csi did not make"));
                Assert.That(MountsUnder(target).Select(m => m.Source), Is.EqualTo(new[] { "connectors-csi", "foreign" }));
            }
        }
        finally
        {
            UnmountAllUnder(driver.Directory.Path);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_OntoForeignMount_RefusedAndLeftAlone(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = PodVolume(driver);
        Directory.CreateDirectory(target);
        try
        {
            await MountForeignAsync(target, cancellationToken);

            var error = await Assert.ThrowsAsync<RpcException>(() => driver.PublishAsync(CsiRequests.Publish(target, ("connectors", "git")), cancellationToken));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
                Assert.That(error.Status.Detail, Does.Contain("is a tmpfs from foreign mount that connectors-csi did not make"));
                Assert.That(MountsUnder(target).Select(m => m.Source), Is.EqualTo(new[] { "foreign" }));
                Assert.That(Directory.GetFileSystemEntries(target), Is.Empty);
            }
        }
        finally
        {
            UnmountAllUnder(driver.Directory.Path);
        }
    }

    private static async Task<CsiTestDriver> StartAsync(CancellationToken cancellationToken, bool anyTarget = false)
    {
        Assume.That(Environment.IsPrivilegedProcess, "tmpfs mounts need root");
        var driver = await CsiTestDriver.StartAsync(cancellationToken, new Dictionary<string, string?>
        {
            ["Csi:Tmpfs"] = "true",
            ["Csi:AnyTarget"] = anyTarget ? "true" : "false",
        });
        driver.Kube.Add(CsiRequests.Class("gitlab"));
        driver.Kube.Add(CsiRequests.Connector("git", "gitlab"));
        driver.Kube.Allow(CsiRequests.User, "team", "git");
        return driver;
    }

    /// <summary>A pod's volume directory as kubelet lays it out: the parent exists, the target does not yet.</summary>
    private static string PodVolume(CsiTestDriver driver)
    {
        var volumes = driver.Directory.Combine("pods", Guid.NewGuid().ToString("N"), "volumes");
        Directory.CreateDirectory(volumes);
        return Path.Combine(volumes, "mount");
    }

    private static List<MountEntry> MountsUnder(string path) =>
        [.. MountTable.Read().Where(m => m.MountPoint == path || m.MountPoint.StartsWith(path + "/", StringComparison.Ordinal))
            .OrderBy(m => m.Id)];

    private static async Task MountForeignAsync(string target, CancellationToken cancellationToken)
    {
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=1m", "foreign", target]);
        await mount.WaitForExitAsync(cancellationToken);
        Assert.That(mount.ExitCode, Is.Zero, "mount -t tmpfs foreign " + target);
    }

    /// <summary>Leaves no mount behind on the machine, whatever the test did.</summary>
    private static void UnmountAllUnder(string path)
    {
        foreach (var mount in MountsUnder(path).OrderByDescending(m => m.Id))
        {
            NativeMethods.Unmount(mount.MountPoint);
        }
    }
}
