namespace Connectors.Modules.Probes;

/// <summary>
/// The result of one probe. <see cref="Message"/> is user-facing: <c>status code 401</c> for a rejection, a
/// Go-style transport error (<c>Get "https://x/": dial tcp: lookup x: no such host</c>) otherwise. It quotes the
/// rendered URL, so a caller that shows it to users masks Secret values first (the controller does).
/// </summary>
public sealed record ProbeResult(ProbeOutcome Outcome, int? StatusCode, string Message)
{
    public bool Succeeded => Outcome == ProbeOutcome.Succeeded;

    /// <summary>True when the probe gave up because of its timeout.</summary>
    public bool TimedOut => Outcome == ProbeOutcome.TimedOut;

    public static ProbeResult Invalid(string message) => new(ProbeOutcome.Invalid, null, message);
}
