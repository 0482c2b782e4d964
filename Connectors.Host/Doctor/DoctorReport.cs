namespace Connectors.Host.Doctor;

/// <summary>Writes each step's line as soon as it is known and remembers whether any failed.</summary>
internal sealed class DoctorReport(TextWriter output)
{
    private readonly List<StepResult> _results = [];

    public bool Failed => _results.Any(r => r.Outcome == StepOutcome.Fail);

    public async Task<StepResult> AddAsync(StepResult result)
    {
        _results.Add(result);
        await output.WriteLineAsync(result.ToString());
        return result;
    }
}
