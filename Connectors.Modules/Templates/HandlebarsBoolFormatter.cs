using HandlebarsDotNet;
using HandlebarsDotNet.IO;

namespace Connectors.Modules.Templates;

/// <summary>Writes booleans as handlebars.js does (<c>true</c>, <c>false</c>), not as .NET's <c>True</c>, <c>False</c>.</summary>
internal sealed class HandlebarsBoolFormatter : IFormatter, IFormatterProvider
{
    public void Format<T>(T value, in EncodedTextWriter writer) =>
        writer.Write(value is true ? "true" : "false", false);

    public bool TryCreateFormatter(Type type, out IFormatter formatter)
    {
        formatter = this;
        return type == typeof(bool);
    }
}
