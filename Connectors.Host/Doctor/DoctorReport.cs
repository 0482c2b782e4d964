namespace Connectors.Host.Doctor;

/// <summary>Writes each step's line as soon as it is known and remembers whether any failed.</summary>
internal sealed class DoctorReport(TextWriter output)
{
    private readonly List<StepResult> _results = [];

    public bool Failed => _results.Any(r => r.Outcome == StepOutcome.Fail);

    /// <summary>
    /// The one line for stderr when a step failed (<c>2 of 9 checks failed: connector, proxy; ...</c>): a pipeline that
    /// keeps only stderr, or only the last line, still says what broke. Null when none failed.
    /// </summary>
    public string? Summary()
    {
        var failed = _results.Where(r => r.Outcome == StepOutcome.Fail).Select(r => r.Subject.Split(' ', 2)[0]).ToList();
        return failed.Count == 0
            ? null
            : $"{failed.Count} of {_results.Count} checks failed: {string.Join(", ", failed.Distinct(StringComparer.Ordinal))}; each FAIL line says what to fix";
    }

    public async Task<StepResult> AddAsync(StepResult result)
    {
        _results.Add(result);
        await output.WriteLineAsync(result.ToString());
        return result;
    }
}
