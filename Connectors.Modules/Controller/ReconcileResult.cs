namespace Connectors.Modules.Controller;

/// <summary>What a reconcile asks of the queue: nothing, or another look after <see cref="RequeueAfter"/>.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => new(null);
}
