using Connectors.Modules.Csi;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class SmapsParserTests
{
    private const string Sample = """
        559150941000-559150978000 r--p 00000000 fe:00 1234                       /opt/app/connectors
        Size:                220 kB
        Rss:                 220 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me sd
        5591520f1000-5591520f2000 r--p 017b0000 fe:00 1234                       /opt/app/my app (deleted)
        Size:                  4 kB
        Rss:                   4 kB
        Anonymous:             4 kB
        559152717000-559154fa0000 rw-p 00000000 00:00 0 
        Rss:                9756 kB
        Anonymous:          9756 kB
        7ffe94c65000-7ffe94c86000 rw-p 00000000 00:00 0                          [stack]
        Rss:                  20 kB
        Anonymous:            20 kB
        """;

    [Test]
    public void Parse_SmapsText_ReadsRangePermissionsPathAndSizes()
    {
        var entries = SmapsParser.Parse(new StringReader(Sample));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(4));
            Assert.That(entries[0], Is.EqualTo(new SmapsEntry(0x559150941000, 0x559150978000, "r--p", "/opt/app/connectors", 220 * 1024, 0)));
            Assert.That(entries[0].Length, Is.EqualTo(0x37000UL));
            Assert.That(entries[1].Path, Is.EqualTo("/opt/app/my app (deleted)"));
            Assert.That(entries[1].AnonymousBytes, Is.EqualTo(4096));
            Assert.That(entries[2].Path, Is.Empty);
            Assert.That(entries[2].RssBytes, Is.EqualTo(9756 * 1024));
            Assert.That(entries[3].Path, Is.EqualTo("[stack]"));
        }
    }

    [Test]
    public void IsCleanReadOnlyFile_EachKindOfMapping_OnlyUnwrittenPrivateReadOnlyFiles()
    {
        var entries = SmapsParser.Parse(new StringReader(Sample));
        Assert.That(entries.Select(e => e.IsCleanReadOnlyFile), Is.EqualTo(new[] { true, false, false, false }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((entries[0] with { Permissions = "r-xp" }).IsCleanReadOnlyFile, Is.True);
            Assert.That((entries[0] with { Permissions = "r--s" }).IsCleanReadOnlyFile, Is.False);
            Assert.That((entries[0] with { Permissions = "rw-p" }).IsCleanReadOnlyFile, Is.False);
        }
    }

    [Test]
    public void IsCleanReadOnlyFile_WrittenPageSwappedOut_IsNotClean()
    {
        // A relocated page (RELRO: written while writable, then made read-only) of an idle process, swapped out: smaps
        // counts it under Swap, not Anonymous (only resident anonymous pages are). MADV_DONTNEED drops the swap entry
        // of a private mapping, and the next access reads the file's unrelocated bytes.
        const string text = """
            559150941000-559150978000 r--p 00000000 fe:00 1234                       /opt/app/connectors
            Size:                220 kB
            Rss:                 216 kB
            Anonymous:             0 kB
            Swap:                  4 kB
            VmFlags: rd mr mw me sd
            """;
        Assert.That(SmapsParser.Parse(new StringReader(text))[0].IsCleanReadOnlyFile, Is.False);
    }

    [TestCase("/opt/app/connectors", true)]
    [TestCase("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", true)]
    [TestCase("/usr/lib/x86_64-linux-gnu/libSystem.Native.so", true)]
    [TestCase("/opt/app/System.Private.CoreLib.dll", false)]
    [TestCase("/var/lib/data/cache.bin", false)]
    [TestCase("/opt/app/connectors.dbg", false)]
    public void IsLoadedCode_Paths_OnlyTheExecutableAndSharedLibraries(string path, bool expected)
    {
        var entry = new SmapsEntry(0x1000, 0x2000, "r--p", path, 4096, 0);
        Assert.That(entry.IsLoadedCode("/opt/app/connectors"), Is.EqualTo(expected));
    }

    [TestCase("not a smaps line")]
    [TestCase("559150941000-559150978000 r--p 00000000 fe:00 1 /x\nRss: many kB")]
    public void Parse_MalformedText_ThrowsFormatException(string text) =>
        Assert.That(() => SmapsParser.Parse(new StringReader(text)), Throws.TypeOf<FormatException>());

    [Test]
    [Platform("Linux")]
    public void ReadSelf_RunningProcess_ListsItsMappedCodeAsResident()
    {
        var entries = SmapsParser.ReadSelf();
        var code = entries.Where(e => e.Permissions == "r-xp" && e.Path.StartsWith('/')).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Not.Empty);
            Assert.That(code.Sum(e => e.RssBytes), Is.GreaterThan(0));
            Assert.That(entries.Sum(e => e.RssBytes), Is.GreaterThanOrEqualTo(code.Sum(e => e.RssBytes)));
        }
    }
}
