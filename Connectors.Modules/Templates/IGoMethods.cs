namespace Connectors.Modules.Templates;

/// <summary>A value with Go methods callable from a template (<c>(semver "1.2.3").Major</c>, <c>.Format</c> on a time).</summary>
internal interface IGoMethods
{
    bool HasMethod(string name);

    /// <summary>Calls the method; throws <see cref="FunctionCallException"/> for Go's error results.</summary>
    object? CallMethod(string name, object?[] args);
}
