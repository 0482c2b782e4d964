using Connectors.Host.Doctor;

namespace Connectors.Tests.Host;

/// <summary>The doctor's stderr line: how many checks failed and which steps, each step once.</summary>
[TestFixture]
public sealed class DoctorReportTests
{
    [Test]
    public async Task Summary_TwoConfigurationsAndTheProxyFail_CountsEachAndNamesEachStepOnce()
    {
        var report = new DoctorReport(TextWriter.Null);
        await report.AddAsync(StepResult.Ok("connector ns/git", "exists and is Ready"));
        await report.AddAsync(StepResult.Fail("proxy http://127.0.0.1:8080/", "refused"));
        await report.AddAsync(StepResult.Fail("configuration gitconfig", "template error"));
        await report.AddAsync(StepResult.Fail("configuration netrc", "template error"));

        Assert.That(report.Summary(), Is.EqualTo("3 of 4 checks failed: proxy, configuration; each FAIL line says what to fix"));
    }

    [Test]
    public async Task Summary_NothingFailed_Null()
    {
        var report = new DoctorReport(TextWriter.Null);
        await report.AddAsync(StepResult.Ok("connector ns/git", "exists and is Ready"));
        await report.AddAsync(StepResult.Skip("proxy", "outside the cluster"));

        Assert.That(report.Summary(), Is.Null);
    }
}
