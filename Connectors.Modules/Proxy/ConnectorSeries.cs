using System.Diagnostics.Metrics;

namespace Connectors.Modules.Proxy;

/// <summary>
/// One Connector's request and body-byte counts, kept by <see cref="ProxyMetrics"/> with plain interlocked adds and
/// read by its observable counters at each scrape: a request costs three atomic increments instead of three lookups of
/// a series by its labels.
/// </summary>
internal sealed class ConnectorSeries(string label)
{
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    private readonly long[] _requests = new long[StatusClasses.Length];
    private long _bytesIn;
    private long _bytesOut;

    /// <summary>The <c>connector</c> label: <c>ns/name</c>, or <see cref="ProxyMetrics.Unknown"/>.</summary>
    public string Label { get; } = label;

    public void Add(int status, long bytesIn, long bytesOut)
    {
        Interlocked.Increment(ref _requests[status is >= 100 and < 600 ? (status / 100) - 1 : StatusClasses.Length - 1]);
        if (bytesIn > 0)
        {
            Interlocked.Add(ref _bytesIn, bytesIn);
        }

        if (bytesOut > 0)
        {
            Interlocked.Add(ref _bytesOut, bytesOut);
        }
    }

    /// <summary>The request counts by status class (<c>code</c>), those that are not zero.</summary>
    public void ObserveRequests(List<Measurement<long>> into)
    {
        for (var i = 0; i < StatusClasses.Length; i++)
        {
            var count = Volatile.Read(ref _requests[i]);
            if (count > 0)
            {
                into.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("connector", Label), new KeyValuePair<string, object?>("code", StatusClasses[i])));
            }
        }
    }

    /// <summary>The body bytes of one direction, when there were any.</summary>
    public void ObserveBytes(bool requestBody, List<Measurement<long>> into)
    {
        var bytes = requestBody ? Volatile.Read(ref _bytesIn) : Volatile.Read(ref _bytesOut);
        if (bytes > 0)
        {
            into.Add(new Measurement<long>(bytes, new KeyValuePair<string, object?>("connector", Label)));
        }
    }
}
