namespace Connectors.Modules.Templates;

/// <summary>
/// Builds the parse trees of one template text, as text/template/parse does: the main template plus every
/// <c>define</c> and <c>block</c>. Errors read <c>template: NAME:LINE: message</c>.
/// </summary>
internal sealed partial class TemplateParser
{
    private readonly string _name;
    private readonly string _text;
    private readonly List<TemplateToken> _tokens;
    private readonly FunctionTable _functions;
    private readonly Dictionary<string, ListNode> _trees;
    private int _index;
    private List<string> _vars = ["$"];
    private int _rangeDepth;

    private TemplateParser(string name, string text, FunctionTable functions, Dictionary<string, ListNode> trees)
    {
        _name = name;
        _text = text;
        _functions = functions;
        _trees = trees;
        _tokens = TemplateLexer.Lex(text);
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="TemplateException"/> on a syntax error.</summary>
    public static ParsedTemplate Parse(string name, string text, FunctionTable functions)
    {
        var trees = new Dictionary<string, ListNode>(StringComparer.Ordinal);
        var parser = new TemplateParser(name, text, functions, trees);
        var root = parser.ParseRoot();
        parser.Add(name, root);
        return new ParsedTemplate(name, text, trees);
    }

    private TemplateToken Next() => _tokens[Math.Min(_index++, _tokens.Count - 1)];

    private TemplateToken Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];

    private void Backup(int n = 1) => _index -= n;

    private TemplateToken NextNonSpace()
    {
        TemplateToken t;
        do
        {
            t = Next();
        }
        while (t.Kind == TokenKind.Space);
        return t;
    }

    private TemplateToken PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    private TemplateException Error(string message)
    {
        var token = _tokens[Math.Clamp(_index - 1, 0, _tokens.Count - 1)];
        return new TemplateException($"template: {_name}:{GoLocation.Line(_text, token.Pos)}: {message}");
    }

    private TemplateException Unexpected(TemplateToken token, string context) =>
        token.Kind == TokenKind.Error ? Error(token.Value) : Error($"unexpected {token} in {context}");

    private ListNode ParseRoot()
    {
        var root = new ListNode(Peek().Pos);
        while (Peek().Kind != TokenKind.Eof)
        {
            if (Peek().Kind == TokenKind.LeftDelim)
            {
                Next();
                var before = _index;
                if (NextNonSpace().Kind == TokenKind.Define)
                {
                    ParseDefinition();
                    continue;
                }

                _index = before - 1;
            }

            var n = TextOrAction();
            if (n is ControlMarker marker)
            {
                throw Error($"unexpected {marker}");
            }

            root.Nodes.Add(n);
        }

        return root;
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var token = NextNonSpace();
        if (token.Kind is not (TokenKind.String or TokenKind.RawString))
        {
            throw Unexpected(token, context);
        }

        var name = Unquote(token);
        var close = NextNonSpace();
        if (close.Kind != TokenKind.RightDelim)
        {
            throw Unexpected(close, context);
        }

        var (list, end) = WithFreshScope(ItemList);
        if (!end.IsEnd)
        {
            throw Error($"unexpected {end} in {context}");
        }

        Add(name, list);
    }

    private T WithFreshScope<T>(Func<T> parse)
    {
        var (vars, depth) = (_vars, _rangeDepth);
        _vars = ["$"];
        _rangeDepth = 0;
        try
        {
            return parse();
        }
        finally
        {
            (_vars, _rangeDepth) = (vars, depth);
        }
    }

    private void Add(string name, ListNode root)
    {
        if (!_trees.TryGetValue(name, out var existing) || IsEmpty(existing))
        {
            _trees[name] = root;
            return;
        }

        if (!IsEmpty(root))
        {
            throw Error($"template: multiple definition of template {GoQuote.Quote(name)}");
        }
    }

    private static bool IsEmpty(ListNode list) =>
        list.Nodes.TrueForAll(n => n is TextNode t && t.Text.AsSpan().Trim(" \t\r\n").IsEmpty);

    private (ListNode List, ControlMarker End) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var n = TextOrAction();
            if (n is ControlMarker marker)
            {
                return (list, marker);
            }

            list.Nodes.Add(n);
        }

        throw Error("unexpected EOF");
    }

    private TemplateNode TextOrAction()
    {
        var token = NextNonSpace();
        return token.Kind switch
        {
            TokenKind.Text => new TextNode(token.Pos, token.Value),
            TokenKind.LeftDelim => Action(),
            _ => throw Unexpected(token, "input"),
        };
    }

    private TemplateNode Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Block:
                return BlockControl();
            case TokenKind.Break:
            case TokenKind.Continue:
                return LoopControl(token);
            case TokenKind.Else:
                return ElseControl(token);
            case TokenKind.End:
                var close = NextNonSpace();
                return close.Kind == TokenKind.RightDelim ? new ControlMarker(token.Pos, true) : throw Unexpected(close, "end");
            case TokenKind.If:
                return Control(BranchKind.If, "if", token.Pos);
            case TokenKind.Range:
                return Control(BranchKind.Range, "range", token.Pos);
            case TokenKind.With:
                return Control(BranchKind.With, "with", token.Pos);
            case TokenKind.Template:
                return TemplateControl();
        }

        Backup();
        var pos = Peek().Pos;
        return new ActionNode(pos, Pipeline("command", TokenKind.RightDelim));
    }

    private LoopControlNode LoopControl(TemplateToken token)
    {
        var name = token.Kind == TokenKind.Break ? "{{break}}" : "{{continue}}";
        var close = NextNonSpace();
        if (close.Kind != TokenKind.RightDelim)
        {
            throw Unexpected(close, name);
        }

        return _rangeDepth == 0 ? throw Error($"{name} outside {{{{range}}}}") : new LoopControlNode(token.Pos, token.Kind == TokenKind.Break);
    }

    private ControlMarker ElseControl(TemplateToken token)
    {
        var peek = PeekNonSpace();
        if (peek.Kind == TokenKind.If)
        {
            return new ControlMarker(peek.Pos, false);
        }

        var close = NextNonSpace();
        return close.Kind == TokenKind.RightDelim ? new ControlMarker(token.Pos, false) : throw Unexpected(close, "else");
    }

    private BranchNode Control(BranchKind kind, string context, int pos)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var mark = _vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenKind.RightDelim);
            if (kind == BranchKind.Range)
            {
                _rangeDepth++;
            }

            var (list, next) = ItemList();
            if (kind == BranchKind.Range)
            {
                _rangeDepth--;
            }

            ListNode? elseList = null;
            if (!next.IsEnd)
            {
                if (kind == BranchKind.If && PeekNonSpace().Kind == TokenKind.If)
                {
                    var ifToken = NextNonSpace();
                    elseList = new ListNode(next.Pos);
                    elseList.Nodes.Add(Control(BranchKind.If, "if", ifToken.Pos));
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (!next.IsEnd)
                    {
                        throw Error($"expected end; found {next}");
                    }
                }
            }

            return new BranchNode(pipe.Pos, kind, pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private TemplateCallNode TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenKind.RightDelim);
        }

        return new TemplateCallNode(token.Pos, name, pipe);
    }

    private TemplateCallNode BlockControl()
    {
        const string context = "block clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        var pipe = Pipeline(context, TokenKind.RightDelim);
        var (list, end) = WithFreshScope(ItemList);
        if (!end.IsEnd)
        {
            throw Error($"unexpected {end} in {context}");
        }

        Add(name, list);
        return new TemplateCallNode(token.Pos, name, pipe);
    }

    private string TemplateName(TemplateToken token, string context) =>
        token.Kind is TokenKind.String or TokenKind.RawString ? Unquote(token) : throw Unexpected(token, context);

    private string Unquote(TemplateToken token) =>
        GoQuote.TryUnquote(token.Value, out var s) ? s : throw Error("invalid syntax");

    /// <summary>The {{end}} and {{else}} that close an item list.</summary>
    private sealed class ControlMarker(int pos, bool isEnd) : TemplateNode(pos)
    {
        public bool IsEnd { get; } = isEnd;

        public override void Write(System.Text.StringBuilder sb) => sb.Append(IsEnd ? "{{end}}" : "{{else}}");
    }
}
