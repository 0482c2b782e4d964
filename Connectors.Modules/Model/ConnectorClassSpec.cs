namespace Connectors.Modules.Model;

/// <summary><c>ConnectorClass.spec</c>.</summary>
public sealed class ConnectorClassSpec
{
    public ParamSpec? Address { get; set; }

    public List<ParamSpec>? AddressExtensions { get; set; }

    public List<ParamSpec>? Params { get; set; }

    public ConnectorClassAuth? Auth { get; set; }

    public List<AuthProbe>? AuthProbes { get; set; }

    public Probe? LivenessProbe { get; set; }

    public ConnectorClassApi? Api { get; set; }

    public ConnectorClassProxy? Proxy { get; set; }

    public List<ConfigurationSpec>? Configurations { get; set; }
}
