using Connectors.Modules.Probes;

namespace Connectors.Tests.Probes;

/// <summary>Which <c>response.cel</c> conditions can see the body, read off the parse tree.</summary>
[TestFixture]
public sealed class CelBodyUseTests
{
    [TestCase("statusCode == 200", false)]
    [TestCase("response.statusCode == 200 && 'X-Ok' in response.headers", false)]
    [TestCase("has(response.headers) && headers['Content-Type'][0].startsWith('application/json')", false)]
    [TestCase("'bodyJSON' == 'bodyJSON' && statusCode < 500", false)]
    [TestCase("statusCode == 200 // bodyString is not looked at", false)]
    [TestCase("headers.exists(h, h == 'body')", false)]
    [TestCase("statusCode == 200 && bodyJSON.status == 'UP'", true)]
    [TestCase("bodyString.contains('ok')", true)]
    [TestCase("body != null", true)]
    [TestCase("response.body.status == 'UP'", true)]
    [TestCase("response.bodyString.size() > 0", true)]
    [TestCase("has(response.body.status)", true)]
    [TestCase("response['bodyString'] != ''", true)]
    [TestCase("size(response) > 0", true)]
    [TestCase("response.exists(k, k == 'statusCode')", true)]
    [TestCase("headers.exists(body, body == 'X')", true)]
    [TestCase("(response).statusCode == 200", true)]
    public void ReadsBody_Expression_TrueOnlyWhenTheBodyCanBeSeen(string expression, bool expected)
    {
        var (condition, error) = CelCondition.Compile(expression);
        Assert.That(condition?.ReadsBody, Is.EqualTo(expected), error);
    }

    [Test]
    public void ReadsBody_CorpusConditionsThatDoNotReadIt_SameOutcomeOverAnEmptyBody()
    {
        var checkedCases = 0;
        foreach (var @case in CelCorpus.Load())
        {
            if (CelCondition.Compile(@case.Expression).Condition is not { ReadsBody: false } condition)
            {
                continue;
            }

            checkedCases++;
            var headers = @case.Headers.Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value)).ToList();
            var withBody = condition.Evaluate(CelResponse.Variables(@case.StatusCode, headers, System.Text.Encoding.UTF8.GetBytes(@case.Body)));
            var withoutBody = condition.Evaluate(CelResponse.Variables(@case.StatusCode, headers, []));
            Assert.That((withoutBody.Value, withoutBody.Error is null), Is.EqualTo((withBody.Value, withBody.Error is null)), @case.Expression);
        }

        Assert.That(checkedCases, Is.GreaterThan(5), "the corpus has status- and header-only conditions");
    }
}
