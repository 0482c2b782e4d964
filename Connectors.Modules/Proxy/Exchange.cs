namespace Connectors.Modules.Proxy;

/// <summary>What the access log and metrics record about one request; no credential ever goes in here.</summary>
internal readonly record struct Exchange(string Connector, string? Subject, ForwardResult Result, string? AuthFailure)
{
    public static Exchange Refused(ConnectorKey? connector, string? subject, int status, string? authFailure) =>
        new(connector?.ToString() ?? "-", subject, new ForwardResult(status, 0, 0), authFailure);
}
