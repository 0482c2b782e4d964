namespace Connectors.Modules.Model;

/// <summary>Condition types of Connectors and ConnectorClasses, exactly as the original.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string ConnectorClassReady = "ConnectorClassReady";
    public const string SecretReady = "SecretReady";
    public const string LivenessReady = "LivenessReady";
    public const string AuthReady = "AuthReady";
    public const string ProxyServiceReady = "ProxyServiceReady";
    public const string CACertReady = "CACertReady";
    public const string ApiReady = "APIReady";
    public const string ProxyReady = "ProxyReady";

    /// <summary>
    /// ConnectorClass, only while it declares <c>response.cel</c> conditions: True when all of them parse, False/<c>InvalidCEL</c>
    /// naming the probe and the parser's message (not in the original, which reports nothing; docs/decisions.md "CEL").
    /// </summary>
    public const string ProbesReady = "ProbesReady";

    /// <summary>
    /// ConnectorClass, only while it breaks a structural rule (<c>ConnectorClassValidator</c>: duplicate or empty names, an
    /// auth probe of an undeclared type; CEL conditions are <see cref="ProbesReady"/>'s): False/<c>InvalidSpec</c> with every problem, so
    /// the class is not Ready (not in the original; the admission webhook refuses such a class when it is installed).
    /// </summary>
    public const string SpecValid = "SpecValid";
}
