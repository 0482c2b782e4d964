namespace Connectors.Modules.Templates;

/// <summary>
/// A Go int64 (sprig's add, mul, max, int64 ...). Plain <see cref="long"/> values stand for Go's <c>int</c>;
/// the two differ only in %T, typeOf and kindOf, and in which typed parameters accept them.
/// </summary>
internal sealed record GoInt64(long Value);
