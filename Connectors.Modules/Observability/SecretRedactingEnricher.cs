using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Connectors.Modules.Observability;

/// <summary>
/// Last line of defence: a log property whose name says it holds a credential (token, password, secret,
/// authorization, cookie) is replaced by <c>[redacted]</c>, whatever the call site passed.
/// </summary>
internal sealed class SecretRedactingEnricher : ILogEventEnricher
{
    private static readonly string[] SensitiveNames = ["token", "password", "secret", "authorization", "cookie", "credential", "privatekey"];
    private static readonly ScalarValue Redacted = new("[redacted]");

    // Property names come from message templates, so there are few; the answer per name is kept (bounded anyway).
    private static readonly ConcurrentDictionary<string, bool> Answers = new(StringComparer.Ordinal);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<string>? sensitive = null;
        foreach (var name in logEvent.Properties.Keys)
        {
            if (IsSensitiveCached(name))
            {
                (sensitive ??= []).Add(name);
            }
        }

        if (sensitive is null)
        {
            return;
        }

        foreach (var name in sensitive)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, Redacted));
        }
    }

    private static bool IsSensitiveCached(string propertyName)
    {
        if (Answers.TryGetValue(propertyName, out var answer))
        {
            return answer;
        }

        answer = IsSensitive(propertyName);
        if (Answers.Count < 4096)
        {
            Answers.TryAdd(propertyName, answer);
        }

        return answer;
    }

    internal static bool IsSensitive(string propertyName)
    {
        foreach (var word in SensitiveNames)
        {
            if (propertyName.Contains(word, StringComparison.OrdinalIgnoreCase)
                && !propertyName.EndsWith("Name", StringComparison.Ordinal)
                && !propertyName.EndsWith("Ref", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
