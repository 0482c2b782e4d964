namespace Connectors.Modules.Model;

/// <summary>The auth probe of one auth type (<c>authName</c>).</summary>
public sealed class AuthProbe
{
    public string AuthName { get; set; } = string.Empty;

    public List<ParamSpec>? Params { get; set; }

    public Probe? Probe { get; set; }
}
