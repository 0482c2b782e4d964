namespace Connectors.Host.Doctor;

/// <summary>How one doctor step ended.</summary>
internal enum StepOutcome
{
    /// <summary>The link holds.</summary>
    Ok,

    /// <summary>The link is broken; the line says what is wrong and how to fix it.</summary>
    Fail,

    /// <summary>Not checked: a step it depends on failed, or it cannot be checked from here.</summary>
    Skip,
}
