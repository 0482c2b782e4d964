using System.Diagnostics;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// Executes a parsed Go template over data, mirroring text/template's exec.go: walk, pipelines, commands,
/// variables, range/if/with, template calls. Limits (output size, range iterations, template depth, deadline)
/// abort the render with an error; the caller discards the partial output.
/// </summary>
internal sealed partial class TemplateExecutor
{
    private static readonly object Missing = new();
    private readonly ParsedTemplate _tmpl;
    private readonly ExecSettings _settings;
    private readonly StringBuilder _out;
    private readonly List<(string Name, object? Value)> _vars = new(8);
    private FunctionContext? _functionContext;
    private string _current;
    private TemplateNode? _node;
    private int _depth;
    private int _varsBase;

    // Whether dot has Go's static type interface {} (an element of a []interface {} or map being ranged over);
    // Go names that type, not the dynamic one, in "can't evaluate field" errors.
    private bool _dotIsInterface;
    private long _iterations;
    private int _steps;

    private readonly long _deadline;
    private readonly CancellationToken _cancellationToken;

    private TemplateExecutor(ParsedTemplate tmpl, ExecSettings settings, StringBuilder output, long deadline, CancellationToken cancellationToken)
    {
        _deadline = deadline;
        _cancellationToken = cancellationToken;
        _tmpl = tmpl;
        _settings = settings;
        _out = output;
        _current = tmpl.Name;
    }

    private FunctionContext Functions => _functionContext ??=
        new FunctionContext(_settings.MaxOutputLength, _settings.Clock, _settings.AllowedEffects.Contains(FunctionEffect.Nondeterministic));

    /// <summary>Renders the main template into <paramref name="output"/>; throws <see cref="TemplateException"/>.</summary>
    public static void Execute(ParsedTemplate tmpl, object? data, ExecSettings settings, StringBuilder output, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.Timeout.TotalSeconds * Stopwatch.Frequency);
        var exec = new TemplateExecutor(tmpl, settings, output, deadline, cancellationToken);
        exec._vars.Add(("$", data));
        if (tmpl.Root is not { } root)
        {
            throw new TemplateException($"template: {GoQuote.Quote(tmpl.Name)} is an incomplete or empty template");
        }

        exec.Walk(data, root);
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private TemplateException Error(string message)
    {
        if (_node is null)
        {
            return new TemplateException($"template: {_current}: {message}");
        }

        var location = GoLocation.LineColumn(_tmpl.Text, _node.Pos);
        return new TemplateException($"template: {_tmpl.Name}:{location}: executing {GoQuote.Quote(_current)} at <{_node}>: {message}");
    }

    private void Step()
    {
        if ((++_steps & 255) != 0)
        {
            return;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw Error($"render exceeded its deadline of {_settings.Timeout.TotalMilliseconds:0} ms");
        }
    }

    private void CheckOutput()
    {
        if (_out.Length > _settings.MaxOutputLength)
        {
            throw Error($"output exceeds the limit of {_settings.MaxOutputLength} bytes");
        }
    }

    private Flow Walk(object? dot, TemplateNode node)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        Step();
        switch (node)
        {
            case TextNode text:
                _out.Append(text.Text);
                CheckOutput();
                return Flow.Normal;
            case ActionNode action:
                var val = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    _node = action;
                    GoFormatter.PrintValue(_out, val ?? "<no value>");
                    CheckOutput();
                }

                return Flow.Normal;
            case ListNode list:
                foreach (var n in list.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }

                return Flow.Normal;
            case BranchNode { Kind: BranchKind.Range } range:
                return WalkRange(dot, range);
            case BranchNode branch:
                return WalkIfOrWith(dot, branch);
            case TemplateCallNode call:
                WalkTemplate(dot, call);
                return Flow.Normal;
            case LoopControlNode loop:
                return loop.IsBreak ? Flow.Break : Flow.Continue;
            default:
                _node = node;
                throw Error($"unknown node: {node}");
        }
    }

    private void Pop(int mark)
    {
        if (_vars.Count > mark)
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private object? VarValue(string name)
    {
        for (var i = _vars.Count - 1; i >= _varsBase; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }

        throw Error($"undefined variable: {name}");
    }

    private void SetVar(string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= _varsBase; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }

        throw Error($"undefined variable: {name}");
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        _node = pipe;
        var value = Missing;
        foreach (var cmd in pipe.Cmds)
        {
            value = GoTypes.Collapse(EvalCommand(dot, cmd, value));
        }

        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(variable.Ident[0], value);
            }
            else
            {
                _vars.Add((variable.Ident[0], value));
            }
        }

        return value;
    }

    private object? EvalCommand(object? dot, CommandNode cmd, object? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode field:
                _node = field;
                return EvalFieldChain(dot, dot, field.Ident, 0, cmd.Args, final, _dotIsInterface);
            case ChainNode chain:
                return EvalChain(dot, chain, cmd.Args, final);
            case IdentifierNode ident:
                return EvalFunction(dot, ident, cmd, cmd.Args, final);
            case PipeNode pipe:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariable(dot, variable, cmd.Args, final);
        }

        _node = first;
        NotAFunction(cmd.Args, final);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode n => IdealConstant(n),
            StringNode s => s.Text,
            _ => throw Error($"can't evaluate command {GoQuote.Quote(first.ToString())}"),
        };
    }

    private void NotAFunction(List<TemplateNode> args, object? final)
    {
        if (args.Count > 1 || final != Missing)
        {
            throw Error($"can't give argument to non-function {args[0]}");
        }
    }

    private object? IdealConstant(NumberNode n)
    {
        _node = n;
        if (n.IsFloat && !IsHexInt(n.Text) && !(n.Text.Length > 0 && n.Text[0] == '\'') && n.Text.AsSpan().ContainsAny(".eEpP"))
        {
            return n.Float64;
        }

        if (n.IsInt)
        {
            return n.Int64;
        }

        if (n.IsUint)
        {
            throw Error($"{n.Text} overflows int");
        }

        return null;
    }

    private static bool IsHexInt(string s) =>
        s.Length > 2 && s[0] == '0' && (s[1] is 'x' or 'X') && !s.AsSpan().ContainsAny("pP");

    private object? EvalVariable(object? dot, VariableNode variable, List<TemplateNode>? args, object? final)
    {
        _node = variable;
        var value = VarValue(variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            if (args is not null)
            {
                NotAFunction(args, final);
            }

            return value;
        }

        return EvalFieldChain(dot, value, variable.Ident, 1, args, final);
    }

    private object? EvalChain(object? dot, ChainNode chain, List<TemplateNode>? args, object? final)
    {
        _node = chain;
        if (chain.Node is NilNode)
        {
            throw Error($"indirection through explicit nil in {chain}");
        }

        var pipe = EvalArg(dot, ParamKind.Value, chain.Node, allowCollapse: false);
        _node = chain;
        return EvalFieldChain(dot, pipe, [.. chain.Fields], 0, args, final);
    }
}
