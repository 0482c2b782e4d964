using System.Text;
using Connectors.Modules.Csi;
using Connectors.Tests.Support;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class AtomicWriterTests
{
    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Write_Files_LinksEachNameThroughDataAndIsReadOnly()
    {
        using var directory = new TempDirectory();
        new AtomicWriter(TimeProvider.System).Write(directory.Path, Files(("a", "1"), (".env", "x=y\n")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(directory.Combine("a")), Is.EqualTo("1"));
            Assert.That(File.ReadAllText(directory.Combine(".env")), Is.EqualTo("x=y\n"));
            Assert.That(new FileInfo(directory.Combine("a")).LinkTarget, Is.EqualTo("..data/a"));
            Assert.That(new FileInfo(directory.Combine("..data")).LinkTarget, Does.StartWith(".."));
            Assert.That(File.GetUnixFileMode(directory.Combine("a")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        }
    }

    [Test]
    public void Write_Again_ReplacesContentRemovesGoneNamesAndOldFolder()
    {
        using var directory = new TempDirectory();
        var writer = new AtomicWriter(TimeProvider.System);
        writer.Write(directory.Path, Files(("a", "1"), ("b", "2")));
        writer.Write(directory.Path, Files(("a", "3"), ("c", "4")));
        var entries = Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(directory.Combine("a")), Is.EqualTo("3"));
            Assert.That(File.ReadAllText(directory.Combine("c")), Is.EqualTo("4"));
            Assert.That(File.Exists(directory.Combine("b")), Is.False);
            Assert.That(entries, Has.Length.EqualTo(4), string.Join(" ", entries));
            Assert.That(entries.Count(e => e!.StartsWith("..", StringComparison.Ordinal)), Is.EqualTo(2), "..data and one folder");
        }
    }

    [Test]
    public void Write_FailsHalfWay_KeepsOldContentAndLeavesNoFolder()
    {
        using var directory = new TempDirectory();
        var writer = new AtomicWriter(TimeProvider.System);
        writer.Write(directory.Path, Files(("a", "old")));
        var before = Directory.GetFileSystemEntries(directory.Path).Order(StringComparer.Ordinal).ToArray();

        // A name with a slash cannot be created inside the new folder: the write fails after some files.
        Assert.Throws<DirectoryNotFoundException>(() => writer.Write(directory.Path, Files(("a", "new"), ("z/y", "x"))));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(directory.Combine("a")), Is.EqualTo("old"));
            Assert.That(Directory.GetFileSystemEntries(directory.Path).Order(StringComparer.Ordinal).ToArray(), Is.EqualTo(before));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Write_RepeatedUnderConcurrentReader_ReaderNeverSeesPartialOrMixedFiles(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var writer = new AtomicWriter(TimeProvider.System);
        string Content(char c) => new(c, 256 * 1024);
        var versions = new[] { Content('A'), Content('B') };
        writer.Write(directory.Path, Files(("big", versions[0]), ("tag", "A")));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() =>
        {
            var reads = 0;
            var bad = new List<string>();
            while (!stop.IsCancellationRequested && reads < 100_000)
            {
                // Open the folder ..data points at once, so both files come from the same version.
                var folder = new FileInfo(Path.Combine(directory.Path, "..data")).LinkTarget;
                try
                {
                    var big = File.ReadAllText(Path.Combine(directory.Path, "big"));
                    if (big != versions[0] && big != versions[1])
                    {
                        bad.Add($"partial file of {big.Length} chars");
                    }

                    var tag = File.ReadAllText(Path.Combine(directory.Path, folder!, "tag"));
                    var bigOfFolder = File.ReadAllText(Path.Combine(directory.Path, folder!, "big"));
                    if (bigOfFolder[0].ToString() != tag)
                    {
                        bad.Add("mixed versions in one folder");
                    }
                }
                catch (FileNotFoundException)
                {
                    // The folder was replaced between reading ..data and opening: the reader retries, as kubelet's readers do.
                }
                catch (DirectoryNotFoundException)
                {
                }

                reads++;
            }

            return (reads, bad);
        }, cancellationToken);

        for (var i = 1; i <= 200; i++)
        {
            var v = i % 2;
            writer.Write(directory.Path, Files(("big", versions[v]), ("tag", v == 0 ? "A" : "B")));
        }

        await stop.CancelAsync();
        var (count, problems) = await reader;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.GreaterThan(0));
            Assert.That(problems, Is.Empty);
        }
    }

    private static SortedDictionary<string, byte[]> Files(params (string Name, string Text)[] files) =>
        new(files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text)), StringComparer.Ordinal);
}
