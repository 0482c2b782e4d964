namespace Connectors.Modules.Templates;

// if/with, range (with break and continue) and template calls (exec.go's walkIfOrWith, walkRange, walkTemplate).
internal sealed partial class TemplateExecutor
{
    private Flow WalkIfOrWith(object? dot, BranchNode node)
    {
        var mark = _vars.Count;
        try
        {
            var val = EvalPipeline(dot, node.Pipe);
            if (GoTypes.Truth(val))
            {
                if (node.Kind != BranchKind.With)
                {
                    return Walk(dot, node.List);
                }

                var savedDot = _dotIsInterface;
                _dotIsInterface = false;
                try
                {
                    return Walk(val, node.List);
                }
                finally
                {
                    _dotIsInterface = savedDot;
                }
            }

            return node.ElseList is not null ? Walk(dot, node.ElseList) : Flow.Normal;
        }
        finally
        {
            Pop(mark);
        }
    }

    private Flow WalkRange(object? dot, BranchNode node)
    {
        _node = node;
        var outer = _vars.Count;
        try
        {
            var val = EvalPipeline(dot, node.Pipe);
            var mark = _vars.Count;
            switch (val)
            {
                case GoList { Count: > 0 } list:
                    for (var i = 0; i < list.Items.Length; i++)
                    {
                        var elem = list.Items[i] ?? (list.ElemType == GoMap.AnyElem ? GoNil.Instance : null);
                        if (OneIteration(node, (long)i, elem, mark, list.ElemType == GoMap.AnyElem) == Flow.Break)
                        {
                            break;
                        }
                    }

                    return Flow.Normal;
                case GoMap { Count: > 0 } map:
                    foreach (var key in map.SortedKeys)
                    {
                        var elem = map.Entries[key] ?? map.ZeroElem;
                        if (OneIteration(node, key, elem, mark, map.ElemType == GoMap.AnyElem) == Flow.Break)
                        {
                            break;
                        }
                    }

                    return Flow.Normal;
                case GoList or GoMap or null or GoTypedNil:
                    break;
                default:
                    throw Error($"range can't iterate over {GoFormatter.Sprint([val])}");
            }

            return node.ElseList is not null ? Walk(dot, node.ElseList) : Flow.Normal;
        }
        finally
        {
            Pop(outer);
        }
    }

    private Flow OneIteration(BranchNode node, object index, object? elem, int mark, bool interfaceElem)
    {
        if (++_iterations > _settings.MaxRangeIterations)
        {
            _node = node;
            throw Error($"range exceeded the limit of {_settings.MaxRangeIterations} iterations");
        }

        var decl = node.Pipe.Decl.Count;
        if (decl > 0)
        {
            _vars[^1] = (_vars[^1].Name, elem);
        }

        var savedDot = _dotIsInterface;
        _dotIsInterface = interfaceElem;

        if (decl > 1)
        {
            _vars[^2] = (_vars[^2].Name, index);
        }

        try
        {
            return Walk(elem, node.List);
        }
        finally
        {
            _dotIsInterface = savedDot;
            Pop(mark);
        }
    }

    private void WalkTemplate(object? dot, TemplateCallNode node)
    {
        _node = node;
        if (!_tmpl.Trees.TryGetValue(node.Name, out var root))
        {
            throw Error($"template {GoQuote.Quote(node.Name)} not defined");
        }

        if (_depth >= _settings.MaxTemplateDepth)
        {
            throw Error($"exceeded maximum template depth ({_settings.MaxTemplateDepth})");
        }

        var newDot = node.Pipe is null ? null : EvalPipeline(dot, node.Pipe);
        var (savedBase, savedCount, savedName) = (_varsBase, _vars.Count, _current);

        // No dynamic scoping: the called template sees only its own $.
        _varsBase = _vars.Count;
        _vars.Add(("$", newDot));
        _current = node.Name;
        _depth++;
        var savedDot = _dotIsInterface;
        _dotIsInterface = false;
        try
        {
            Walk(newDot, root);
        }
        finally
        {
            _dotIsInterface = savedDot;
            _depth--;
            _current = savedName;
            Pop(savedCount);
            _varsBase = savedBase;
        }
    }
}
