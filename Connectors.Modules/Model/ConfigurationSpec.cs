namespace Connectors.Modules.Model;

/// <summary>A named set of files the CSI driver renders: <c>data</c> maps file names to Go templates.</summary>
public sealed class ConfigurationSpec
{
    public string Name { get; set; } = string.Empty;

    public Dictionary<string, string>? Data { get; set; }

    public List<ParamSpec>? Params { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}
