using System.Text.RegularExpressions;

namespace Connectors.Modules.Templates;

/// <summary>A Go regular expression compiled to .NET by <see cref="Re2Translator"/>, with its capture names.</summary>
internal sealed record GoRegexp(Regex Regex, IReadOnlyDictionary<string, int> GroupNames);
