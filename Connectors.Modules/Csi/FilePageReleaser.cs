using System.Runtime.InteropServices;

namespace Connectors.Modules.Csi;

/// <summary>
/// Drops the resident pages of the process's clean, read-only, private file mappings (the executable's code and
/// read-only data, the shared libraries'): most of them were read in by fault-around and readahead while the process
/// started, and the idle driver never touches them again. A page touched later comes back from the page cache (or
/// the file) on its next access. Linux only.
/// MADV_DONTNEED rather than MADV_PAGEOUT (Linux 5.4): page-out skips every page another process maps too (the same
/// binary in another process, libc) and drops the rest from the page cache, so the next touch reads the disk; unmapping
/// lowers this process's resident set whatever else maps the file, and the page cache keeps the pages for the kernel
/// to reclaim when memory is short (docs/benchmarks.md "csi-node idle memory").
/// </summary>
internal static class FilePageReleaser
{
    /// <summary>madvise(2) advice: unmap the pages from this process; the page cache keeps them.</summary>
    public const int Unmap = 4; // MADV_DONTNEED

    /// <summary>
    /// Advises every <see cref="SmapsEntry.IsCleanReadOnlyFile"/> mapping of <paramref name="mappings"/> with
    /// <paramref name="advice"/>. A mapping with a page written since it was mapped (a relocation, a copy on write)
    /// is left alone: MADV_DONTNEED would throw that page's contents away.
    /// </summary>
    public static FilePageRelease Release(IEnumerable<SmapsEntry> mappings, int advice)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        int advised = 0, failures = 0, lastErrno = 0;
        long resident = 0;
        foreach (var mapping in mappings)
        {
            if (!mapping.IsCleanReadOnlyFile || mapping.RssBytes == 0)
            {
                continue;
            }

            if (madvise((nint)mapping.Start, (nuint)mapping.Length, advice) != 0)
            {
                failures++;
                lastErrno = Marshal.GetLastPInvokeError();
                continue;
            }

            advised++;
            resident += mapping.RssBytes;
        }

        return new FilePageRelease(advised, resident, failures, lastErrno);
    }

    /// <summary>
    /// The mappings of the running executable and of the shared libraries the loader mapped (<see cref="SmapsEntry.IsLoadedCode"/>):
    /// the only ones released, as they cannot be unmapped and their range reused between the smaps read and the advice.
    /// </summary>
    public static IEnumerable<SmapsEntry> LoadedCode(IEnumerable<SmapsEntry> mappings)
    {
        var executable = Environment.ProcessPath is { } path ? Path.GetFullPath(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path) : string.Empty;
        return mappings.Where(m => m.IsLoadedCode(executable));
    }

    /// <summary>Returns the free memory at the top of glibc's heaps to the system; false where there is no such call (musl).</summary>
    public static bool TrimMalloc()
    {
        try
        {
            _ = malloc_trim(0);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The process's resident set size in bytes.</summary>
    public static long ResidentBytes() => Observability.ProcessMetrics.ReadResidentBytes();

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int madvise(nint address, nuint length, int advice);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
