using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Probes;
using Connectors.Tests.Support;

namespace Connectors.Tests.Probes;

/// <summary>
/// The CEL conditions of probes, on the corpus <c>TestData/cel/corpus.jsonl</c>: the expressions of the catalogue
/// (sonarqube) and the docs, and the operations that matter (string/int/bool operators, map and field access,
/// <c>has()</c>, <c>in</c>, <c>size</c>, <c>contains</c>, <c>startsWith</c>, <c>matches</c>, int against double,
/// errors absorbed by <c>&amp;&amp;</c>/<c>||</c>), each with its expected outcome.
/// </summary>
[TestFixture]
public sealed class CelConditionTests
{
    public static IEnumerable<TestCaseData> Corpus() =>
        CelCorpus.Load().Select((c, i) => new TestCaseData(c).SetName($"Evaluate_Corpus{i:00}_{(c.Want is bool b ? b.ToString() : "Error")}"));

    [TestCaseSource(nameof(Corpus))]
    public void Evaluate_CorpusCase_GivesTheExpectedOutcome(CelCorpus.Case @case)
    {
        var outcome = CelCorpus.Evaluate(@case);
        Assert.That(outcome.Result ?? (object)"error", Is.EqualTo(@case.Want is bool want ? want : "error"), $"{@case.Expression} => {outcome.Error}");
    }

    [TestCase("statusCode ==")]
    [TestCase("bodyJSON.status == 'UP")]
    [TestCase("   ")]
    public void Compile_Malformed_ReturnsTheParserMessage(string expression)
    {
        var (condition, error) = CelCondition.Compile(expression);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(condition, Is.Null);
            Assert.That(error, Is.Not.Empty);
        }
    }

    [Test]
    public void Evaluate_NotABool_SaysWhatItYields()
    {
        var (condition, _) = CelCondition.Compile("statusCode + 1");
        var (value, error) = condition!.Evaluate(CelResponse.Variables(200, [], []));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(value, Is.Null);
            Assert.That(error, Is.EqualTo("the expression yields an int, not a bool"));
        }
    }

    [Test, CancelAfter(20_000)]
    public void Evaluate_CatastrophicMatchesOnToolBody_FailsWithTimeoutInsteadOfHanging()
    {
        // The tool's body is attacker-shaped input for a class's regex: the process-wide Regex default timeout
        // (Directory.Build.props) turns exponential backtracking into an evaluation error.
        var (condition, _) = CelCondition.Compile("bodyString.matches('^(a+)+$')");
        var (value, error) = condition!.Evaluate(CelResponse.Variables(200, [], System.Text.Encoding.UTF8.GetBytes(new string('a', 40) + "!")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(value, Is.Null);
            Assert.That(error, Does.StartWith("RegexMatchTimeoutException"));
        }
    }

    [Test]
    public void Variables_HeadersCanonicalAndJsonNumbersDoubles()
    {
        var variables = CelResponse.Variables(200, [new("content-type", ["application/json"]), new("x-a", ["1"]), new("X-A", ["2"])], """{"n":3}"""u8);
        var headers = (Dictionary<string, object?>)variables["headers"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(headers.Keys, Is.EquivalentTo(new[] { "Content-Type", "X-A" }));
            Assert.That(headers["X-A"], Is.EqualTo(new object[] { "1", "2" }));
            Assert.That(((Dictionary<string, object?>)variables["bodyJSON"]!)["n"], Is.EqualTo(3.0d));
            Assert.That(variables["statusCode"], Is.EqualTo(200L));
        }
    }

    [Test]
    public void Variables_BodyOverTheLimitOrNotJson_IsNull()
    {
        var notJson = CelResponse.Variables(200, [], "{\"a\":1} trailing"u8);
        Assert.That(notJson["bodyJSON"], Is.Null);
    }
}

/// <summary>The CEL corpus shared by the unit and differential tests.</summary>
public static class CelCorpus
{
    public sealed record Case(string Expression, int StatusCode, string Body, Dictionary<string, string[]> Headers, bool? Want, bool? OracleWant, bool OracleErrors)
    {
        public override string ToString() => Expression;
    }

    public static IReadOnlyList<Case> Load() =>
        [.. File.ReadAllLines(TestData.Path("TestData", "cel", "corpus.jsonl")).Where(l => l.Trim().Length > 0).Select(Parse)];

    public static (bool? Result, string? Error) Evaluate(Case @case)
    {
        var (condition, error) = CelCondition.Compile(@case.Expression);
        if (condition is null)
        {
            return (null, error);
        }

        var headers = @case.Headers.Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value));
        return condition.Evaluate(CelResponse.Variables(@case.StatusCode, headers, System.Text.Encoding.UTF8.GetBytes(@case.Body)));
    }

    private static Case Parse(string line)
    {
        var node = JsonNode.Parse(line)!;
        var headers = node["headers"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(v => v!.GetValue<string>()).ToArray());
        var want = Outcome(node["want"]!);
        var oracle = node["oracle"] is { } o ? Outcome(o) : want;
        return new Case(node["expr"]!.GetValue<string>(), node["statusCode"]!.GetValue<int>(), node["body"]!.GetValue<string>(), headers, want, oracle,
            node["oracle"] is { } x ? x.GetValueKind() == JsonValueKind.String : want is null);
    }

    private static bool? Outcome(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
