using Connectors.Modules.Model;
using Connectors.Modules.Proxy;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 6 (with <c>--target</c>): the URL is one of the Connector's addresses, by the proxy's own matching
/// (<see cref="ConnectorAddresses"/>): only there does the proxy send the credential.
/// </summary>
internal static class TargetStep
{
    public static StepResult Check(Connector connector, Uri target)
    {
        var subject = "target " + Shown(target);
        var addresses = ConnectorAddresses.Of(connector);
        var list = addresses.All.Count == 0 ? "none" : string.Join(", ", addresses.All.Select(a => a.ToString().TrimEnd('/')));
        if (addresses.Matches(target))
        {
            return StepResult.Ok(subject, $"is one of the Connector's addresses ({list})");
        }

        var why = addresses.MatchesOrigin(target)
            ? "has the scheme, host and port of an address but is outside its path prefix"
            : "matches no address of the Connector";
        return StepResult.Fail(subject, $"{why} ({list}); the proxy sends the credential only to spec.address and spec.addressExtensions: "
            + "use a URL under one of them, or add the address to the Connector");
    }

    /// <summary>The target without user info or query, which may carry secrets.</summary>
    private static string Shown(Uri target) => target.GetLeftPart(UriPartial.Path).Replace(target.UserInfo + "@", string.Empty, StringComparison.Ordinal);
}
