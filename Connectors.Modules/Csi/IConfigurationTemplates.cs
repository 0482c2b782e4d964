using System.Text.Json.Nodes;

namespace Connectors.Modules.Csi;

/// <summary>
/// Renders one configuration file template with the CSI data view. <c>go</c> is Go text/template + sprig,
/// <c>handlebars</c> is Handlebars; the Templates module provides both.
/// </summary>
internal interface IConfigurationTemplates
{
    TemplateOutput Render(string engine, string name, string template, JsonObject data);
}
