namespace Connectors.Modules.Csi;

/// <summary>One mapping of <c>/proc/PID/smaps</c>: its address range, permissions, backing path and resident sizes.</summary>
/// <param name="Start">First address of the mapping.</param>
/// <param name="End">Address just past the mapping.</param>
/// <param name="Permissions">The four permission letters, e.g. <c>r-xp</c> (p: private, s: shared).</param>
/// <param name="Path">The backing file, a pseudo name such as <c>[heap]</c>, or empty for anonymous memory.</param>
/// <param name="RssBytes">Resident bytes (<c>Rss:</c>).</param>
/// <param name="AnonymousBytes">Resident bytes not backed by the file: copied on write or never file-backed (<c>Anonymous:</c>).</param>
internal readonly record struct SmapsEntry(ulong Start, ulong End, string Permissions, string Path, long RssBytes, long AnonymousBytes)
{
    /// <summary>Length of the mapping in bytes.</summary>
    public ulong Length => End - Start;

    /// <summary>
    /// A private, read-only mapping of a file none of whose pages was ever written (no anonymous page): dropping its
    /// resident pages loses nothing, the next access reads them back from the file.
    /// </summary>
    public bool IsCleanReadOnlyFile =>
        Permissions.Length == 4 && Permissions[0] == 'r' && Permissions[1] == '-' && Permissions[3] == 'p'
        && Path.StartsWith('/') && AnonymousBytes == 0;
}
