using System.Buffers;

namespace Connectors.Modules.Csi;

/// <summary>
/// Names of files in a volume: <c>[-._a-zA-Z0-9]+</c>, not <c>.</c> or <c>..</c>, and not starting with
/// <c>..</c>, which the atomic writer keeps for its own entries (as kubelet's AtomicWriter does).
/// </summary>
internal static class FileNames
{
    public const string Rule = "want [-._a-zA-Z0-9]+, not \".\", \"..\" or starting with \"..\"";

    private static readonly SearchValues<char> Allowed = SearchValues.Create("-._abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 255
        && name.AsSpan().IndexOfAnyExcept(Allowed) < 0
        && name != "."
        && !name.StartsWith("..", StringComparison.Ordinal);
}
