namespace Connectors.Modules.Templates;

/// <summary>A typed nil (a nil pointer, map or slice of a named Go type), e.g. <c>.Secret</c> without a Secret.</summary>
internal sealed record GoTypedNil(string TypeName);
