namespace Connectors.Modules.Model;

/// <summary>API groups and versions of the kinds Connectors defines.</summary>
public static class ApiGroups
{
    public const string Connectors = "connectors.alauda.io";
    public const string Version = "v1alpha1";
    public const string ConnectorsApiVersion = Connectors + "/" + Version;
}
