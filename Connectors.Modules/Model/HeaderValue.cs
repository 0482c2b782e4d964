namespace Connectors.Modules.Model;

/// <summary>A rule for values that go in request headers, shared by the credential injectors, the probes and the registry client.</summary>
internal static class HeaderValue
{
    /// <summary>
    /// Whether a value headed for a request header holds CR, LF or NUL. Headers added without validation are written as
    /// they are: a line break would end the header and start another (or a second request) of the value's choosing on
    /// a connection that other Connectors of the same tool reuse.
    /// </summary>
    public static bool BreaksHeader(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;
}
