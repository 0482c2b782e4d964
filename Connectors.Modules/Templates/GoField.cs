namespace Connectors.Modules.Templates;

/// <summary>One field of a <see cref="GoStruct"/>.</summary>
internal sealed record GoField(string Name, object? Value, bool Embedded = false);
