namespace Connectors.Modules.Probes;

/// <summary>How a probe ended.</summary>
public enum ProbeOutcome
{
    /// <summary>The tool answered 2xx.</summary>
    Succeeded,

    /// <summary>The tool answered, but not 2xx (the status code is in the result).</summary>
    Rejected,

    /// <summary>No answer: DNS, connect, TLS or protocol failure.</summary>
    Unreachable,

    /// <summary>No answer within the probe timeout.</summary>
    TimedOut,

    /// <summary>The tool answered, but the class's <c>response.cel</c> could not be evaluated on the answer (the message says why).</summary>
    ConditionError,

    /// <summary>The probe could not be built (a template failed, the URL is invalid); nothing was sent.</summary>
    Invalid,
}
