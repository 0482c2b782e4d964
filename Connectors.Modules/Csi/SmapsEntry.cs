namespace Connectors.Modules.Csi;

/// <summary>One mapping of <c>/proc/PID/smaps</c>: its address range, permissions, backing path and resident sizes.</summary>
/// <param name="Start">First address of the mapping.</param>
/// <param name="End">Address just past the mapping.</param>
/// <param name="Permissions">The four permission letters, e.g. <c>r-xp</c> (p: private, s: shared).</param>
/// <param name="Path">The backing file, a pseudo name such as <c>[heap]</c>, or empty for anonymous memory.</param>
/// <param name="RssBytes">Resident bytes (<c>Rss:</c>).</param>
/// <param name="AnonymousBytes">Resident bytes not backed by the file: copied on write or never file-backed (<c>Anonymous:</c>).</param>
/// <param name="SwapBytes">Bytes swapped out (<c>Swap:</c>): only anonymous pages are, so a written page of a private file mapping shows here once swapped.</param>
internal readonly record struct SmapsEntry(ulong Start, ulong End, string Permissions, string Path, long RssBytes, long AnonymousBytes, long SwapBytes = 0)
{
    /// <summary>Length of the mapping in bytes.</summary>
    public ulong Length => End - Start;

    /// <summary>
    /// A private, read-only mapping of a file none of whose pages was ever written (no anonymous page, resident or
    /// swapped out): dropping its resident pages loses nothing, the next access reads them back from the file.
    /// </summary>
    public bool IsCleanReadOnlyFile =>
        Permissions.Length == 4 && Permissions[0] == 'r' && Permissions[1] == '-' && Permissions[3] == 'p'
        && Path.StartsWith('/') && AnonymousBytes == 0 && SwapBytes == 0;

    /// <summary>
    /// A mapping of <paramref name="executable"/> or of a shared library (<c>*.so</c>, <c>*.so.N</c>): code the
    /// dynamic loader mapped, which stays mapped for the life of the process (nothing here unloads a native library),
    /// unlike a file some code maps and unmaps at any time, whose range could hold other memory by the time it is advised.
    /// </summary>
    public bool IsLoadedCode(string executable)
    {
        if (Path == executable)
        {
            return true;
        }

        var name = System.IO.Path.GetFileName(Path.AsSpan());
        return name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }
}
