using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>Line and column of a byte position, computed as Go's parse.Tree.ErrorContext does.</summary>
internal static class GoLocation
{
    public static int Line(string text, int pos)
    {
        var line = 1;
        for (var i = 0; i < pos && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>"line:col" where col is the 0-based UTF-8 byte offset in the line (Go's convention).</summary>
    public static string LineColumn(string text, int pos)
    {
        pos = Math.Min(pos, text.Length);
        var lineStart = pos == 0 ? 0 : text.LastIndexOf('\n', pos - 1) + 1;

        var col = Encoding.UTF8.GetByteCount(text.AsSpan(lineStart, pos - lineStart));
        return $"{Line(text, pos)}:{col}";
    }
}
