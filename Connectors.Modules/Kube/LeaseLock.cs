using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>
/// Reads and writes one Lease for <see cref="LeaderElector"/>. Expiry is judged by the local clock from the moment
/// this instance last saw the record change (client-go's observedTime), never by the holder's clock.
/// </summary>
internal sealed class LeaseLock(KubeClient client, string ns, string name, string identity, TimeSpan leaseDuration, TimeProvider timeProvider)
{
    private string? _observedKey;
    private DateTimeOffset _observedAt;

    public string Describe => ns + "/" + name;

    /// <summary>The holder seen in the last read.</summary>
    public string? ObservedHolder { get; private set; }

    /// <summary>Why the last attempt failed, when the API refused or could not be reached; null after success.</summary>
    public string? LastError { get; private set; }

    /// <summary>True when the last read showed another live holder.</summary>
    public bool HeldByOther { get; private set; }

    /// <summary>Creates, takes over or renews the Lease. False when another holder is live, or on any API failure.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await TryCoreAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Gives the Lease up (empty holder, 1 s duration) if this instance still holds it; best effort.</summary>
    public async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var current = await client.GetAsync<Lease>(ns, name, timeout.Token);
            if (current.Value is { Spec.HolderIdentity: var holder } lease && holder == identity)
            {
                var now = timeProvider.GetUtcNow();
                lease.Spec = new LeaseSpec { HolderIdentity = string.Empty, LeaseDurationSeconds = 1, AcquireTime = now, RenewTime = now, LeaseTransitions = lease.Spec!.LeaseTransitions };
                await client.UpdateAsync(lease, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Best effort: the Lease expires on its own.
        }
    }

    private async Task<bool> TryCoreAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var seconds = (int)Math.Max(1, Math.Ceiling(leaseDuration.TotalSeconds));
        var current = await client.GetAsync<Lease>(ns, name, cancellationToken);
        if (current.Outcome == KubeOutcome.NotFound)
        {
            var created = await client.CreateAsync(
                new Lease
                {
                    Metadata = new ObjectMeta { Name = name, Namespace = ns },
                    Spec = new LeaseSpec { HolderIdentity = identity, LeaseDurationSeconds = seconds, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
                },
                cancellationToken);
            return Observe(created.Value, created.IsOk, created.Message);
        }

        if (!current.IsOk)
        {
            LastError = $"{current.Outcome}: {current.Message}";
            return false;
        }

        var lease = current.Value!;
        var spec = lease.Spec ?? new LeaseSpec();
        var key = $"{spec.HolderIdentity}|{spec.RenewTime:O}|{lease.Metadata.ResourceVersion}";
        if (key != _observedKey)
        {
            _observedKey = key;
            _observedAt = now;
        }

        ObservedHolder = spec.HolderIdentity;
        var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != identity;
        var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? seconds);
        LastError = null;
        if (heldByOther && _observedAt + duration > now)
        {
            HeldByOther = true;
            return false;
        }

        lease.Spec = new LeaseSpec
        {
            HolderIdentity = identity,
            LeaseDurationSeconds = seconds,
            AcquireTime = spec.HolderIdentity == identity ? spec.AcquireTime ?? now : now,
            RenewTime = now,
            LeaseTransitions = spec.HolderIdentity == identity ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
        };
        var updated = await client.UpdateAsync(lease, cancellationToken);
        return Observe(updated.Value, updated.IsOk, updated.Message);
    }

    private bool Observe(Lease? lease, bool ok, string? error)
    {
        LastError = ok ? null : error;
        if (ok && lease is not null)
        {
            _observedKey = $"{lease.Spec?.HolderIdentity}|{lease.Spec?.RenewTime:O}|{lease.Metadata.ResourceVersion}";
            _observedAt = timeProvider.GetUtcNow();
            ObservedHolder = identity;
            HeldByOther = false;
        }

        return ok;
    }
}
