namespace Connectors.Modules.Credentials;

/// <summary>What happened when a credential was to be injected.</summary>
public enum InjectionOutcome
{
    /// <summary>The credential is on the request.</summary>
    Injected,

    /// <summary>The Connector has no Secret (optional auth): the request goes without a credential.</summary>
    NoCredential,

    /// <summary>The Secret lacks a key its type requires.</summary>
    InvalidSecret,

    /// <summary>No injector knows the Secret type, or the class asks for something this build cannot do.</summary>
    Unsupported,
}

/// <summary>Outcome plus a message that names keys and types, never values.</summary>
public readonly record struct InjectionResult(InjectionOutcome Outcome, string? Message)
{
    public static InjectionResult Injected => new(InjectionOutcome.Injected, null);

    public static InjectionResult NoCredential => new(InjectionOutcome.NoCredential, null);

    public static InjectionResult MissingKey(string secretType, string key) =>
        new(InjectionOutcome.InvalidSecret, $"Secret of type {secretType} has no \"{key}\" key");

    public static InjectionResult BreaksHeader(string secretType, string key) =>
        new(InjectionOutcome.InvalidSecret, $"Secret of type {secretType}: \"{key}\" holds a line break or NUL, which cannot go in a header");
}
