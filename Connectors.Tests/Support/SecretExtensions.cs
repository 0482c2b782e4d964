using Connectors.Modules.Model;

namespace Connectors.Tests.Support;

internal static class SecretExtensions
{
    public static Secret WithNamespace(this Secret secret, string ns)
    {
        secret.Metadata.Namespace = ns;
        return secret;
    }
}
