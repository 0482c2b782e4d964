namespace Connectors.Modules.Templates;

/// <summary>Thrown by a template function; reported as "error calling NAME: message", as Go does.</summary>
internal sealed class FunctionCallException(string message) : Exception(message);
