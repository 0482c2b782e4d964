using System.Text;
using Connectors.Modules.Probes;

namespace Connectors.Tests.Probes;

/// <summary>
/// Evaluation errors of <c>response.cel</c> never quote the response: the <c>Cel</c> package's conversion errors carry
/// the value (for <c>int(bodyString)</c> the whole body), and an auth probe's response may echo the credential.
/// </summary>
[TestFixture]
public sealed class CelErrorTextTests
{
    private const string Secret = "ATTACKER-TOKEN-s3cr3t-0123456789";

    [TestCase("int(bodyString) > 0")]
    [TestCase("uint(bodyString) > 0u")]
    [TestCase("double(bodyString) > 0.0")]
    [TestCase("timestamp(bodyString) > timestamp('2020-01-01T00:00:00Z')")]
    [TestCase("int(bodyJSON.token) > 0")]
    [TestCase("uint(bodyJSON.token) > 0u")]
    [TestCase("double(bodyJSON.token) > 0.0")]
    [TestCase("timestamp(bodyJSON.token) > timestamp('2020-01-01T00:00:00Z')")]
    [TestCase("duration(bodyJSON.token) > duration('1s')")]
    [TestCase("int(headers['X-Echo'][0]) > 0")]
    [TestCase("bodyJSON[bodyJSON.token] == 1")]
    [TestCase("bodyJSON.token.matches(bodyJSON.token + '(')")]
    [TestCase("bodyJSON.token.matches('(' + bodyJSON.token)")]
    [TestCase("bodyJSON.user.matches(bodyJSON.token + ',' + bodyJSON.user + '[')")]
    public void Evaluate_ErrorOnAValueOfTheResponse_MessageDoesNotQuoteIt(string expression)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"token\":\"{Secret}\",\"user\":\"someone\"}}");
        var (condition, compileError) = CelCondition.Compile(expression);
        Assert.That(compileError, Is.Null);
        var (value, error) = condition!.Evaluate(CelResponse.Variables(200, [new("X-Echo", [Secret])], body));
        TestContext.Out.WriteLine(error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(value, Is.Null);
            Assert.That(error, Is.Not.Empty);
            Assert.That(error, Does.Not.Contain("s3cr3t").And.Not.Contain("ATTACKER").And.Not.Contain("someone"));
        }
    }

    [Test]
    public void Evaluate_ValueHoldingAQuote_NeitherPartQuoted()
    {
        // A quote inside the value ends the package's quoted segment early; the rest must not stay in the message.
        var body = Encoding.UTF8.GetBytes("head'tail-0123456789-SECRETPART x'y \"z");
        var (condition, _) = CelCondition.Compile("int(bodyString) > 0");
        var (_, error) = condition!.Evaluate(CelResponse.Variables(200, [], body));
        TestContext.Out.WriteLine(error);
        Assert.That(error, Does.Not.Contain("SECRETPART").And.Not.Contain("head").And.Not.Contain("tail"));
    }

    [Test]
    public void Evaluate_LongBody_MessageBounded()
    {
        var body = Encoding.UTF8.GetBytes(new string('7', 1000) + "x");
        var (condition, _) = CelCondition.Compile("int(bodyString) > 0");
        var (_, error) = condition!.Evaluate(CelResponse.Variables(200, [], body));
        Assert.That(error, Has.Length.LessThanOrEqualTo(CelErrorText.MaxLength).And.Not.Contain("7777"));
    }

    [Test]
    public void Evaluate_OverloadError_KeepsTheNamesOfFunctionsAndTypes()
    {
        var (condition, _) = CelCondition.Compile("bodyJSON.n.startsWith('a')");
        var (_, error) = condition!.Evaluate(CelResponse.Variables(200, [], "{\"n\":true}"u8));
        Assert.That(error, Is.EqualTo("No overload exists for 'startsWith' function argument types 'System.Boolean', 'System.String'."));
    }

    [TestCase("{\"status\":\"UP\"}")]
    [TestCase("{\"status\":\"health of bodyJSON\"}")]
    public void Evaluate_MissingField_KeepsTheNamesTheExpressionUses(string body)
    {
        var (condition, _) = CelCondition.Compile("bodyJSON.health == 'GREEN'");
        var (_, error) = condition!.Evaluate(CelResponse.Variables(200, [], Encoding.UTF8.GetBytes(body)));
        Assert.That(error, Is.EqualTo("Cannot find overload to select field 'health' in variable 'bodyJSON'."));
    }
}
