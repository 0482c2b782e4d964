using Yarp.ReverseProxy.Forwarder;

namespace Connectors.Modules.Proxy;

/// <summary>What a <see cref="DirectBodyCopy"/> did: the body bytes handed to the client, and how it ended (None = complete).</summary>
internal readonly record struct DirectCopyResult(long Bytes, ForwarderError Error, Exception? Exception);
