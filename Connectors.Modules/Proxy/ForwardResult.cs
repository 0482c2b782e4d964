namespace Connectors.Modules.Proxy;

/// <summary>What one forwarded exchange did: the status the client got and the body bytes each way.</summary>
internal readonly record struct ForwardResult(int Status, long BytesIn, long BytesOut);
