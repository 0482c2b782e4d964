namespace Connectors.Modules.Controller;

/// <summary>
/// Level-based reconcile of one kind: a key in, the object's state read from the watch cache, the world moved
/// towards it. An exception means a rate-limited retry; an invalid spec is a status condition, not an exception.
/// </summary>
internal interface IReconciler<TResource>
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
