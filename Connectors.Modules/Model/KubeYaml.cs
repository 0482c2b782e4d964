using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Connectors.Modules.Model;

/// <summary>
/// Reads Kubernetes YAML the way kubectl does (sigs.k8s.io/yaml: YAML 1.1 scalars, then JSON): multi-document
/// streams, plain scalars resolved to null, booleans and numbers, quoted and block scalars kept as strings.
/// Unlike YAML 1.1, single-letter <c>y</c>/<c>n</c> stay strings (a namespace called <c>n</c> is common enough).
/// </summary>
public static class KubeYaml
{
    private static readonly System.Buffers.SearchValues<char> FloatChars = System.Buffers.SearchValues.Create("0123456789.eE+-");

    /// <summary>Every non-empty document of <paramref name="yaml"/>, in order.</summary>
    /// <exception cref="FormatException">The text is not valid YAML; the message names the line and column.</exception>
    public static IReadOnlyList<JsonNode> LoadDocuments(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        var documents = new List<JsonNode>();
        foreach (var document in stream.Documents)
        {
            if (ToNode(document.RootNode) is { } node)
            {
                documents.Add(node);
            }
        }

        return documents;
    }

    /// <summary>The single document of <paramref name="yaml"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="FormatException">Not YAML, not exactly one document, or not a <typeparamref name="T"/>.</exception>
    public static T Load<T>(string yaml)
    {
        var documents = LoadDocuments(yaml);
        if (documents.Count != 1)
        {
            throw new FormatException($"want one YAML document, found {documents.Count}");
        }

        try
        {
            return ModelJson.FromNode<T>(documents[0]);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToNode)]),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new FormatException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new FormatException($"unsupported YAML key at line {key.Start.Line}: keys must be scalars");
            }

            if (name == "<<")
            {
                throw new FormatException($"YAML merge keys are not supported (line {key.Start.Line})");
            }

            result[name] = ToNode(value);
        }

        return result;
    }

    private static JsonValue? ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || scalar.Tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    private static bool LooksLikeFloat(string text)
    {
        var span = text.AsSpan().TrimStart("+-");
        return span.Length > 0 && (char.IsAsciiDigit(span[0]) || (span[0] == '.' && span.Length > 1 && char.IsAsciiDigit(span[1])))
            && span.IndexOfAnyExcept(FloatChars) < 0;
    }
}
