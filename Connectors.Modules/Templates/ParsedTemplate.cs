namespace Connectors.Modules.Templates;

/// <summary>The parse trees of one template text: the main template and its define/block templates.</summary>
internal sealed class ParsedTemplate(string name, string text, Dictionary<string, ListNode> trees)
{
    public string Name { get; } = name;

    public string Text { get; } = text;

    public IReadOnlyDictionary<string, ListNode> Trees { get; } = trees;

    /// <summary>The main template's tree, or null when the text defines only other templates under other names.</summary>
    public ListNode? Root { get; } = trees.GetValueOrDefault(name);
}
