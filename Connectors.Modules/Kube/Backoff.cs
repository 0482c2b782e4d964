namespace Connectors.Modules.Kube;

/// <summary>Exponential backoff with jitter: each delay is the current step plus up to the same again at random.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Random random)
{
    private TimeSpan _step = TimeSpan.Zero;

    /// <summary>The next delay; the step doubles up to the maximum.</summary>
    public TimeSpan Next()
    {
        if (_step == TimeSpan.Zero)
        {
            _step = initial;
        }

        var delay = _step + (_step * random.NextDouble());
        _step = TimeSpan.FromTicks(Math.Min(_step.Ticks * 2, max.Ticks));
        return delay > max ? max : delay;
    }

    public void Reset() => _step = TimeSpan.Zero;
}
