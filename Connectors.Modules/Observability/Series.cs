namespace Connectors.Modules.Observability;

/// <summary>One time series: a value, or a histogram's buckets, sum and count. Thread-safe.</summary>
public sealed class Series
{
    private readonly long[] _bucketCounts;
    private readonly Lock _gate = new();
    private double _value;
    private double _sum;
    private long _count;

    internal Series(int buckets) => _bucketCounts = new long[buckets];

    public double Value
    {
        get { lock (_gate) { return _value; } }
    }

    /// <summary>Reads a consistent view of a histogram: cumulative bucket counts, sum and count.</summary>
    public (long[] Cumulative, double Sum, long Count) ReadHistogram()
    {
        lock (_gate)
        {
            var cumulative = new long[_bucketCounts.Length];
            long running = 0;
            for (var i = 0; i < _bucketCounts.Length; i++)
            {
                running += _bucketCounts[i];
                cumulative[i] = running;
            }

            return (cumulative, _sum, _count);
        }
    }

    internal void Add(double value)
    {
        lock (_gate) { _value += value; }
    }

    internal void Set(double value)
    {
        lock (_gate) { _value = value; }
    }

    internal void Observe(double value, double[] buckets)
    {
        lock (_gate)
        {
            _sum += value;
            _count++;
            var index = Array.BinarySearch(buckets, value);
            if (index < 0)
            {
                index = ~index;
            }

            if (index < buckets.Length)
            {
                _bucketCounts[index]++;
            }
        }
    }
}
