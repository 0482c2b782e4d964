namespace Connectors.Modules.Model;

/// <summary>Type of one property of an object parameter.</summary>
public sealed class ParamPropertyType
{
    public string? Type { get; set; }
}
