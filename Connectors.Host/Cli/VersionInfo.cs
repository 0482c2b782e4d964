using System.Reflection;

namespace Connectors.Host.Cli;

/// <summary>The build's version, as <c>connectors version</c> prints it.</summary>
internal static class VersionInfo
{
    public static string Version { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Describe() =>
        $"connectors {Version} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})";
}
