namespace Connectors.Tests.Support;

/// <summary>Paths of files copied next to the test assembly (TestData/ and manifests/).</summary>
internal static class TestData
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static IEnumerable<string> Files(string pattern, params string[] folder) =>
        Directory.EnumerateFiles(Path(folder), pattern).Order(StringComparer.Ordinal);
}
