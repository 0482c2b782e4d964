using System.Text;
using Connectors.Modules.Probes;
using Connectors.Tests.Support;

namespace Connectors.Tests.Probes;

/// <summary>
/// The static limits of <c>response.cel</c> (<see cref="CelLimits"/>): what the <c>Cel</c> package's recursive parser
/// and evaluator would overflow the stack on (an uncatchable crash) or run without bound on is refused before parsing,
/// and every shape that keeps the limits parses and evaluates on a thread-pool thread (smaller stack than the main one).
/// </summary>
[TestFixture]
public sealed class CelLimitsTests
{
    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    /// <summary>
    /// The shapes whose tree is deepest for their length, each as long as the limits allow; a shape whose innermost
    /// operation fails still makes the evaluator recurse to it before the error (true: the expression holds).
    /// </summary>
    public static IEnumerable<TestCaseData> DeepestShapes()
    {
        static string Fill(string head, string unit, string tail)
        {
            var count = (CelLimits.MaxLength - head.Length - tail.Length) / unit.Length;
            return head + Repeat(unit, count) + tail;
        }

        var n = CelLimits.MaxNesting;
        yield return new TestCaseData(Repeat("(", n) + "true" + Repeat(")", n), true).SetName("Parentheses");
        yield return new TestCaseData(Repeat("!(", n / 2) + "true" + Repeat(")", n / 2), true).SetName("UnaryAndParentheses");
        yield return new TestCaseData(Repeat("[", n - 1) + "true" + Repeat("]", n - 1) + " != []", true).SetName("Lists");
        yield return new TestCaseData(Repeat("{1:", n - 1) + "true" + Repeat("}", n - 1) + " != {}", true).SetName("Maps");
        yield return new TestCaseData(Repeat("-", n) + "1 == 1", true).SetName("UnaryMinus");
        yield return new TestCaseData(Fill("1", "+1", " > 0"), true).SetName("Sum");
        yield return new TestCaseData(Fill("1", "-1", " < 0"), true).SetName("Difference");
        yield return new TestCaseData(Fill("1", "*1", " > 0"), true).SetName("Product");
        yield return new TestCaseData(Fill("true", "&&true", string.Empty), true).SetName("And");
        yield return new TestCaseData(Fill("false", "||false", "||true"), true).SetName("Or");
        yield return new TestCaseData(Fill("1", "==1", string.Empty), false).SetName("Relations");
        yield return new TestCaseData(Fill("response", ".headers", " != {}"), false).SetName("Members");
        yield return new TestCaseData(Fill("[[1]]", "[0]", " > 0"), false).SetName("Indexes");
        yield return new TestCaseData(Fill("'a'", ".startsWith('a')", string.Empty), false).SetName("Calls");
        yield return new TestCaseData(Repeat("false?false:", n) + "true", true).SetName("Conditionals");
        var head = Repeat("(", n - 4) + "[1].all(x, [1].all(y, ";
        var tail = "y > 0))" + Repeat(")", n - 4);
        yield return new TestCaseData(Fill(head, "x+", tail), true).SetName("ComprehensionsInParentheses");
    }

    [TestCaseSource(nameof(DeepestShapes)), CancelAfter(60_000)]
    public async Task Compile_DeepestShapeAtTheLimits_ParsesAndEvaluatesOnAThreadPoolThread(string expression, bool holds)
    {
        Assert.That(expression, Has.Length.LessThanOrEqualTo(CelLimits.MaxLength));
        var (compileError, value, error) = await Task.Run(() =>
        {
            var (condition, compileError) = CelCondition.Compile(expression);
            var (value, error) = condition?.Evaluate(CelResponse.Variables(200, [], "{}"u8)) ?? default;
            return (compileError, value, error);
        });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(compileError, Is.Null, expression);
            Assert.That(value, holds ? Is.True : Is.Null, expression);
            Assert.That(error, holds ? Is.Null : Is.Not.Null, expression);
        }

        TestContext.Out.WriteLine($"{expression.Length} characters: {value?.ToString() ?? error}");
    }

    [Test]
    public void Compile_4000NestedParentheses_RefusedBeforeParsing()
    {
        // The adversarial class: an 8 KB expression that overflowed the parser's stack and ended the process.
        var (condition, error) = CelCondition.Compile(Repeat("(", 4000) + "true" + Repeat(")", 4000));
        Assert.That(condition, Is.Null);
        Assert.That(error, Is.EqualTo($"the expression is 8004 characters long, the most is {CelLimits.MaxLength}"));
    }

    [TestCase("(", ")")]
    [TestCase("[", "]")]
    [TestCase("{1:", "}")]
    [TestCase("!(", ")")]
    [TestCase("-(", ")")]
    [TestCase("true?(", "):false")]
    public void Compile_OneLevelBeyondTheNesting_Refused(string open, string close)
    {
        var expression = Repeat(open, CelLimits.MaxNesting + 1) + "true" + Repeat(close, CelLimits.MaxNesting + 1);
        var (condition, error) = CelCondition.Compile(expression);
        Assert.That(condition, Is.Null);
        Assert.That(error, Does.StartWith($"the expression nests brackets, unary operators and conditionals more than {CelLimits.MaxNesting} levels deep at character "));
    }

    [TestCase("!")]
    [TestCase("-")]
    [TestCase("- ")]
    public void Compile_UnaryChainBeyondTheNesting_Refused(string unary)
    {
        var (condition, error) = CelCondition.Compile(Repeat(unary, CelLimits.MaxNesting + 1) + "1 == 1");
        Assert.That(condition, Is.Null);
        Assert.That(error, Does.Contain($"more than {CelLimits.MaxNesting} levels deep"));
    }

    [TestCase("'", "'")]
    [TestCase("\"", "\"")]
    [TestCase("r'", "'")]
    [TestCase("'''", "'''")]
    [TestCase("b\"", "\"")]
    public void Compile_BracketsInsideStringLiterals_NotCounted(string open, string close)
    {
        var (condition, error) = CelCondition.Compile($"bodyString != {open}{Repeat("([{", 100)}{close}");
        Assert.That(error, Is.Null);
        Assert.That(condition, Is.Not.Null);
    }

    [TestCase("// a \" in a comment\n")]
    [TestCase("'\\'' + ")]
    [TestCase("r'\\' + ")]
    public void Compile_QuotesThatDoNotOpenAString_StillCountTheBrackets(string prefix)
    {
        // A scan that took the quote for an opening one would miss the brackets after it; the parser would not.
        var expression = prefix + Repeat("(", CelLimits.MaxNesting + 1) + "'x'" + Repeat(")", CelLimits.MaxNesting + 1) + " == 'x'";
        var (condition, error) = CelCondition.Compile(expression);
        Assert.That(condition, Is.Null);
        Assert.That(error, Does.Contain("levels deep"));
    }

    [TestCase("'abc")]
    [TestCase("'a\nb'")]
    [TestCase("'\\q'")]
    public void Compile_UnreadableStringLiteral_Refused(string literal)
    {
        var (condition, error) = CelCondition.Compile($"bodyString == {literal}");
        Assert.That(condition, Is.Null);
        Assert.That(error, Does.StartWith("a string literal "));
    }

    [TestCase("all")]
    [TestCase("exists")]
    [TestCase("exists_one")]
    [TestCase("map")]
    [TestCase("filter")]
    public void Compile_ThreeNestedComprehensions_Refused(string macro)
    {
        var inner = macro == "map" ? "z" : "z > 0";
        var expression = $"bodyJSON.a.all(x, bodyJSON.a.exists(y, bodyJSON.a . {macro} (z, {inner})))";
        var (condition, error) = CelCondition.Compile(expression);
        Assert.That(condition, Is.Null);
        Assert.That(error, Does.StartWith($"the expression nests comprehensions (all, exists, exists_one, map, filter) more than {CelLimits.MaxComprehensionNesting} deep at character "));
    }

    [Test]
    public void Compile_TwoNestedAndTwoSiblingComprehensions_Accepted()
    {
        var expression = "bodyJSON.a.all(x, bodyJSON.a.exists(y, x == y)) && bodyJSON.a.map(x, x).filter(x, x > 0).size() > 0";
        var (condition, error) = CelCondition.Compile(expression);
        Assert.That(error, Is.Null);
        Assert.That(condition, Is.Not.Null);
    }

    [TestCase(0, true)]
    [TestCase(1, false)]
    public void Variables_BodyAroundMaxJsonValues_BeyondIsGivenAsNull(int beyond, bool given)
    {
        // An object holding one array: 1 + 1 + elements values.
        var elements = CelResponse.MaxJsonValues - 2 + beyond;
        var body = Encoding.UTF8.GetBytes("{\"a\":[" + string.Join(',', Enumerable.Repeat("0", elements)) + "]}");
        var variables = CelResponse.Variables(200, [], body, out var tooManyValues);
        var (condition, _) = CelCondition.Compile($"bodyJSON.a.size() == {elements}");
        var (value, error) = condition!.Evaluate(variables);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tooManyValues, Is.EqualTo(!given));
            Assert.That(variables["bodyJSON"], given ? Is.Not.Null : Is.Null);
            Assert.That(value, given ? Is.True : Is.Null);
            Assert.That(error, given ? Is.Null : Is.Not.Null);
        }
    }

    [Test]
    public void Compile_CatalogueExpressions_KeepTheLimits()
    {
        var expressions = TestData.Files("*.yaml", "manifests", "connectorclasses")
            .SelectMany(File.ReadLines)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("cel:", StringComparison.Ordinal))
            .Select(l => l["cel:".Length..].Trim())
            .ToList();
        Assert.That(expressions, Is.Not.Empty);
        Assert.That(expressions.Select(CelLimits.Check), Is.All.Null);
    }
}
