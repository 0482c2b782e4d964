namespace Connectors.Host.Doctor;

/// <summary>One line of the doctor's report: <c>ok   subject: detail</c>, <c>FAIL subject: problem; fix</c> or <c>skip subject: why</c>.</summary>
internal sealed record StepResult(StepOutcome Outcome, string Subject, string Detail)
{
    public static StepResult Ok(string subject, string detail) => new(StepOutcome.Ok, subject, detail);

    public static StepResult Fail(string subject, string problem) => new(StepOutcome.Fail, subject, problem);

    public static StepResult Skip(string subject, string why) => new(StepOutcome.Skip, subject, why);

    public override string ToString()
    {
        var label = Outcome switch
        {
            StepOutcome.Ok => "ok  ",
            StepOutcome.Fail => "FAIL",
            _ => "skip",
        };
        return $"{label} {Subject}: {Detail}";
    }
}
