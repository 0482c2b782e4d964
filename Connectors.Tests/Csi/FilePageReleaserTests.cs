using System.Runtime.InteropServices;
using Connectors.Modules.Csi;

namespace Connectors.Tests.Csi;

[TestFixture]
[Platform("Linux")]
public sealed class FilePageReleaserTests
{
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 2;
    private const int Length = 64 * 4096;

    private string _file = null!;

    [SetUp]
    public void SetUp()
    {
        _file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"pages-{Guid.NewGuid():N}.bin");
        var content = new byte[Length];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = (byte)(i % 251);
        }

        File.WriteAllBytes(_file, content);
    }

    [TearDown]
    public void TearDown() => File.Delete(_file);

    [Test]
    public void Release_TouchedReadOnlyFileMapping_UnmapsItsPagesAndKeepsItsContents()
    {
        var address = Map(_file, ProtRead);
        try
        {
            var sum = Touch(address);
            var before = Find(address);
            var release = FilePageReleaser.Release([before], FilePageReleaser.Unmap);
            var after = Find(address);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(before.IsCleanReadOnlyFile, Is.True);
                Assert.That(before.RssBytes, Is.EqualTo(Length));
                Assert.That(release, Is.EqualTo(new FilePageRelease(1, Length, 0, 0)));
                Assert.That(after.RssBytes, Is.Zero);
                Assert.That(Touch(address), Is.EqualTo(sum), "the pages come back from the file");
            }
        }
        finally
        {
            _ = munmap(address, Length);
        }
    }

    [Test]
    public void Release_ReadOnlyMappingWithWrittenPage_LeavesItAlone()
    {
        // A relocated page: written while writable, then made read-only (as the dynamic loader does). Unmapping it
        // would bring back the file's byte instead of the written one.
        var address = Map(_file, ProtRead | ProtWrite);
        try
        {
            Marshal.WriteByte(address, 0x42);
            Assert.That(mprotect(address, Length, ProtRead), Is.Zero);
            var before = Find(address);
            var release = FilePageReleaser.Release([before], FilePageReleaser.Unmap);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(before.Permissions, Is.EqualTo("r--p"));
                Assert.That(before.AnonymousBytes, Is.GreaterThan(0));
                Assert.That(release.Mappings, Is.Zero);
                Assert.That(Marshal.ReadByte(address), Is.EqualTo(0x42));
            }
        }
        finally
        {
            _ = munmap(address, Length);
        }
    }

    [Test]
    public void Release_RefusedAdvice_CountsTheFailureWithItsErrno()
    {
        var address = Map(_file, ProtRead);
        try
        {
            _ = Touch(address);
            var release = FilePageReleaser.Release([Find(address)], advice: 12345);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(release, Is.EqualTo(new FilePageRelease(0, 0, 1, 22)), "EINVAL");
                Assert.That(Find(address).RssBytes, Is.EqualTo(Length));
            }
        }
        finally
        {
            _ = munmap(address, Length);
        }
    }

    [Test]
    public void LoadedCode_RunningProcess_ExecutableAndLibrariesButNotAFileCodeMapped()
    {
        // A file some code maps can be unmapped, and its range reused by other memory, between the smaps read and the
        // advice (MADV_DONTNEED would then zero live memory): only the executable and the loader's libraries, which stay
        // mapped for the life of the process, are released.
        var address = Map(_file, ProtRead);
        try
        {
            _ = Touch(address);
            var candidates = FilePageReleaser.LoadedCode(SmapsParser.ReadSelf()).ToList();
            var executable = new FileInfo(Environment.ProcessPath!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Environment.ProcessPath!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Find(address).IsCleanReadOnlyFile, Is.True, "a release candidate but for where it comes from");
                Assert.That(candidates.Select(m => m.Start), Has.No.Member((ulong)address));
                Assert.That(candidates.Select(m => m.Path), Has.Member(executable));
                Assert.That(candidates.Select(m => Path.GetFileName(m.Path)), Has.Some.StartsWith("libc.so"));
            }
        }
        finally
        {
            _ = munmap(address, Length);
        }
    }

    [Test]
    public void TrimMalloc_Glibc_Answers()
    {
        Assert.That(FilePageReleaser.TrimMalloc(), Is.True);
        Assert.That(FilePageReleaser.ResidentBytes(), Is.GreaterThan(0));
    }

    private static long Touch(nint address)
    {
        long sum = 0;
        for (var offset = 0; offset < Length; offset += 512)
        {
            sum += Marshal.ReadByte(address, offset);
        }

        return sum;
    }

    private static SmapsEntry Find(nint address) => SmapsParser.ReadSelf().Single(e => e.Start == (ulong)address);

    private static nint Map(string path, int protection)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var address = mmap(0, Length, protection, MapPrivate, (int)file.DangerousGetHandle(), 0);
        Assert.That(address, Is.Not.EqualTo((nint)(-1)), "mmap");
        return address;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(nint address, nuint length);
}
