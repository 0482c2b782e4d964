using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// Condition messages are readable by everyone who may <c>get</c> the Connector (every workload that uses it), and
/// a probe message quotes the rendered URL (Go's <c>Get "url": ...</c>), which a class template may have filled
/// with a Secret value (<c>?private_token={{ .Secret.StringData.token }}</c>). Every value of the Secret is
/// replaced by <c>[redacted]</c> before a message reaches the status.
/// </summary>
internal static class SecretRedaction
{
    private const string Mask = "[redacted]";

    /// <summary>Values shorter than this are not masked: they would mangle ordinary words of the message.</summary>
    private const int MinimumLength = 4;

    public static string Redact(string message, Secret? secret)
    {
        if (secret is null || message.Length == 0)
        {
            return message;
        }

        foreach (var value in Values(secret).Where(v => v.Length >= MinimumLength).OrderByDescending(v => v.Length))
        {
            message = message.Replace(value, Mask, StringComparison.Ordinal);
            // The URL in the message is escaped: mask the escaped form too.
            var escaped = Uri.EscapeDataString(value);
            if (escaped != value)
            {
                message = message.Replace(escaped, Mask, StringComparison.Ordinal);
            }
        }

        return message;
    }

    private static IEnumerable<string> Values(Secret secret)
    {
        foreach (var bytes in secret.Data?.Values ?? Enumerable.Empty<byte[]>())
        {
            yield return Encoding.UTF8.GetString(bytes);
        }

        foreach (var text in secret.StringData?.Values ?? Enumerable.Empty<string>())
        {
            yield return text;
        }
    }
}
