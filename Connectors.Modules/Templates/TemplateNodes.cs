using System.Text;

namespace Connectors.Modules.Templates;

// The parse tree of a Go text/template. These small node types live in one file on purpose: they are one
// closed union (the equivalent of Go's text/template/parse node set) and read best side by side.
// Pos is the byte offset of the node in the template text, used for Go-style "name:line:col" errors.

/// <summary>A node of the parse tree.</summary>
internal abstract class TemplateNode(int pos)
{
    public int Pos { get; } = pos;

    /// <summary>The node in template syntax, as Go's Node.String() (used in error contexts).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    public abstract void Write(StringBuilder sb);
}

internal sealed class ListNode(int pos) : TemplateNode(pos)
{
    public List<TemplateNode> Nodes { get; } = [];

    public override void Write(StringBuilder sb)
    {
        foreach (var n in Nodes)
        {
            n.Write(sb);
        }
    }
}

internal sealed class TextNode(int pos, string text) : TemplateNode(pos)
{
    public string Text { get; } = text;

    public override void Write(StringBuilder sb) => sb.Append(GoQuote.Quote(Text));
}

internal sealed class ActionNode(int pos, PipeNode pipe) : TemplateNode(pos)
{
    public PipeNode Pipe { get; } = pipe;

    public override void Write(StringBuilder sb) => sb.Append("{{").Append(Pipe).Append("}}");
}

internal sealed class PipeNode(int pos) : TemplateNode(pos)
{
    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Cmds { get; } = [];

    public override void Write(StringBuilder sb)
    {
        if (Decl.Count > 0)
        {
            for (var i = 0; i < Decl.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                Decl[i].Write(sb);
            }

            sb.Append(IsAssign ? " = " : " := ");
        }

        for (var i = 0; i < Cmds.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(" | ");
            }

            Cmds[i].Write(sb);
        }
    }
}

internal sealed class CommandNode(int pos) : TemplateNode(pos)
{
    public List<TemplateNode> Args { get; } = [];

    public override void Write(StringBuilder sb)
    {
        for (var i = 0; i < Args.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            if (Args[i] is PipeNode p)
            {
                sb.Append('(');
                p.Write(sb);
                sb.Append(')');
            }
            else
            {
                Args[i].Write(sb);
            }
        }
    }
}

internal sealed class IdentifierNode(int pos, string name) : TemplateNode(pos)
{
    public string Name { get; } = name;

    /// <summary>Resolved at parse time: the function this identifier calls.</summary>
    public TemplateFunction? Function { get; set; }

    public override void Write(StringBuilder sb) => sb.Append(Name);
}

internal sealed class VariableNode(int pos, string[] ident) : TemplateNode(pos)
{
    /// <summary>The variable name ("$x") followed by any field names.</summary>
    public string[] Ident { get; set; } = ident;

    public override void Write(StringBuilder sb) => sb.Append(string.Join('.', Ident));
}

internal sealed class DotNode(int pos) : TemplateNode(pos)
{
    public override void Write(StringBuilder sb) => sb.Append('.');
}

internal sealed class NilNode(int pos) : TemplateNode(pos)
{
    public override void Write(StringBuilder sb) => sb.Append("nil");
}

internal sealed class FieldNode(int pos, string[] ident) : TemplateNode(pos)
{
    public string[] Ident { get; } = ident;

    public override void Write(StringBuilder sb)
    {
        foreach (var id in Ident)
        {
            sb.Append('.').Append(id);
        }
    }
}

internal sealed class ChainNode(int pos, TemplateNode node) : TemplateNode(pos)
{
    public TemplateNode Node { get; } = node;

    public List<string> Fields { get; } = [];

    public override void Write(StringBuilder sb)
    {
        if (Node is PipeNode)
        {
            sb.Append('(');
            Node.Write(sb);
            sb.Append(')');
        }
        else
        {
            Node.Write(sb);
        }

        foreach (var f in Fields)
        {
            sb.Append('.').Append(f);
        }
    }
}

internal sealed class BoolNode(int pos, bool value) : TemplateNode(pos)
{
    public bool Value { get; } = value;

    public override void Write(StringBuilder sb) => sb.Append(Value ? "true" : "false");
}

internal sealed class StringNode(int pos, string quoted, string text) : TemplateNode(pos)
{
    public string Quoted { get; } = quoted;

    public string Text { get; } = text;

    public override void Write(StringBuilder sb) => sb.Append(Quoted);
}

internal sealed class NumberNode(int pos, string text) : TemplateNode(pos)
{
    public string Text { get; } = text;

    public bool IsInt { get; set; }

    public bool IsUint { get; set; }

    public bool IsFloat { get; set; }

    public long Int64 { get; set; }

    public ulong Uint64 { get; set; }

    public double Float64 { get; set; }

    public override void Write(StringBuilder sb) => sb.Append(Text);
}

/// <summary>if, range and with share this shape.</summary>
internal sealed class BranchNode(int pos, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : TemplateNode(pos)
{
    public BranchKind Kind { get; } = kind;

    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;

    public override void Write(StringBuilder sb)
    {
        var name = Kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" };
        sb.Append("{{").Append(name).Append(' ').Append(Pipe).Append("}}").Append(List);
        if (ElseList is not null)
        {
            sb.Append("{{else}}").Append(ElseList);
        }

        sb.Append("{{end}}");
    }
}

internal enum BranchKind
{
    If,
    Range,
    With,
}

internal sealed class TemplateCallNode(int pos, string name, PipeNode? pipe) : TemplateNode(pos)
{
    public string Name { get; } = name;

    public PipeNode? Pipe { get; } = pipe;

    public override void Write(StringBuilder sb)
    {
        sb.Append("{{template ").Append(GoQuote.Quote(Name));
        if (Pipe is not null)
        {
            sb.Append(' ').Append(Pipe);
        }

        sb.Append("}}");
    }
}

internal sealed class LoopControlNode(int pos, bool isBreak) : TemplateNode(pos)
{
    public bool IsBreak { get; } = isBreak;

    public override void Write(StringBuilder sb) => sb.Append(IsBreak ? "{{break}}" : "{{continue}}");
}
