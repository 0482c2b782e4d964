namespace Connectors.Modules.Proxy;

/// <summary>What the access log and metrics record about one request; no credential ever goes in here.</summary>
internal readonly record struct Exchange(ConnectorKey? Key, string? Subject, ForwardResult Result, string? AuthFailure)
{
    /// <summary>The Connector the client named, <c>ns/name</c> or "-" (the access log writes what was asked for).</summary>
    public string Connector => Key?.ToString() ?? "-";

    public static Exchange Refused(ConnectorKey? connector, string? subject, int status, string? authFailure) =>
        new(connector, subject, new ForwardResult(status, 0, 0), authFailure);
}
