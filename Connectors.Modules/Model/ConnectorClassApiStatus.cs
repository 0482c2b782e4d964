namespace Connectors.Modules.Model;

/// <summary><c>ConnectorClass.status.api</c>.</summary>
public sealed class ConnectorClassApiStatus
{
    public Addressable? Address { get; set; }
}
