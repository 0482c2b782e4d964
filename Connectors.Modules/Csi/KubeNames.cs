namespace Connectors.Modules.Csi;

/// <summary>Kubernetes object name rules: DNS-1123 subdomains for Connectors, DNS-1123 labels for namespaces and ServiceAccounts' namespaces.</summary>
internal static class KubeNames
{
    public static bool IsSubdomain(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(IsLabelPart);

    public static bool IsLabel(string name) => name.Length <= 63 && IsLabelPart(name);

    private static bool IsLabelPart(string part) =>
        part.Length > 0
        && IsAlphanumeric(part[0])
        && IsAlphanumeric(part[^1])
        && part.All(c => IsAlphanumeric(c) || c == '-');

    private static bool IsAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
