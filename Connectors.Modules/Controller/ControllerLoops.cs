using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>The two reconcile loops of the controller: Connectors and ConnectorClasses.</summary>
internal sealed record ControllerLoops(ReconcileLoop<Connector> Connectors, ReconcileLoop<ConnectorClass> Classes) : IDisposable
{
    public void Dispose()
    {
        Connectors.Dispose();
        Classes.Dispose();
    }
}
