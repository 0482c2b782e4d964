using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace Connectors.Modules.Probes;

/// <summary>
/// Whether a <c>response.cel</c> expression can see the response's body, found on the package's own parse tree: the
/// body variables (<c>body</c>, <c>bodyJSON</c>, <c>bodyString</c>), or <c>response</c> used other than as
/// <c>response.statusCode</c> / <c>response.headers</c> (<c>response.body</c>, <c>response.bodyString</c>,
/// <c>response['body']</c>, <c>response</c> passed whole). A condition that cannot see it is evaluated without reading
/// it, so a tool answering a huge or never-ending body to <c>statusCode == 200</c> costs nothing. Any doubt (a
/// comprehension variable named <c>body</c>, a tree that does not parse) counts as reading it.
/// </summary>
internal static class CelBodyUse
{
    private static readonly HashSet<string> BodyVariables = new(StringComparer.Ordinal) { "body", "bodyJSON", "bodyString" };
    private static readonly HashSet<string> ResponseFieldsWithoutBody = new(StringComparer.Ordinal) { "statusCode", "headers" };

    /// <summary>Whether evaluating <paramref name="expression"/> (already compiled by the package) may read the body.</summary>
    public static bool ReadsBody(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var lexer = new CelLexer(new AntlrInputStream(expression));
        lexer.RemoveErrorListeners();
        var parser = new CelParser(new CommonTokenStream(lexer));
        parser.RemoveErrorListeners();
        IParseTree start = parser.start();
        if (parser.NumberOfSyntaxErrors > 0)
        {
            return true;
        }

        // Iterative: the tree is as deep as the expression allows (CelLimits), which is deeper than a stack wants.
        var pending = new Stack<IParseTree>([start]);
        while (pending.TryPop(out var node))
        {
            if (node is CelParser.IdentOrGlobalCallContext ident && SeesBody(ident))
            {
                return true;
            }

            for (var i = 0; i < node.ChildCount; i++)
            {
                pending.Push(node.GetChild(i));
            }
        }

        return false;
    }

    private static bool SeesBody(CelParser.IdentOrGlobalCallContext ident)
    {
        var name = ident.id?.Text ?? string.Empty;
        if (BodyVariables.Contains(name))
        {
            return true;
        }

        // response.statusCode / response.headers (also response.?headers): the primary's member is selected from.
        return name == "response"
            && !(ident.Parent is CelParser.PrimaryExprContext { Parent: CelParser.SelectContext select }
                && ResponseFieldsWithoutBody.Contains(select.id?.Text ?? string.Empty));
    }
}
