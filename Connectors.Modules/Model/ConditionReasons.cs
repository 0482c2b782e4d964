namespace Connectors.Modules.Model;

/// <summary>Condition reasons, exactly as the original (plus the ones this implementation adds, marked).</summary>
public static class ConditionReasons
{
    public const string ConnectorClassNotFound = "ConnectorClassNotFound";
    public const string SecretOptional = "SecretOptional";
    public const string SecretNotFound = "SecretNotFound";
    public const string NonLivenessProbe = "NonLivenessProbe";
    public const string ConnectionFailed = "ConnectionFailed";
    public const string NonAuthProbe = "NonAuthProbe";
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string NonProxy = "NonProxy";
    public const string ProxyServiceNotFound = "ProxyServiceNotFound";
    public const string NonApi = "NonAPI";
    public const string Valid = "Valid";
    public const string NoCACert = "NoCACert";
    public const string InvalidPem = "InvalidPEM";

    /// <summary>Added here: the class or connector uses a feature this implementation does not support (Rego, CEL).</summary>
    public const string Unsupported = "Unsupported";

    /// <summary>ConnectorClass <c>ProbesReady</c>, Connector probe conditions: a <c>response.cel</c> that does not parse.</summary>
    public const string InvalidCel = "InvalidCEL";

    /// <summary>Connector <c>LivenessReady</c>/<c>AuthReady</c>: the tool answered, but the class's <c>response.cel</c> failed on the answer.</summary>
    public const string CelEvaluationFailed = "CELEvaluationFailed";

    /// <summary>Added here: the Connector spec fails the validation the original does in its admission webhook.</summary>
    public const string InvalidSpec = "InvalidSpec";
}
