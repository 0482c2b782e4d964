using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Controller;

/// <summary>
/// Records core/v1 Events on Connectors and ConnectorClasses when a condition changes status (or a False one its
/// reason or message), so
/// <c>kubectl describe</c> shows the history. An Event identical to one recorded before (same object, type, reason
/// and message) is counted on that Event (<c>count</c>, <c>lastTimestamp</c>) instead of added again, as client-go's
/// correlator does, so a flapping tool shows <c>x12 over 1h</c> rather than a wall of lines. Best effort: a failed
/// write is logged, never retried.
/// </summary>
internal sealed partial class EventRecorder(KubeClient client, TimeProvider timeProvider, ILogger<EventRecorder> logger)
{
    public const string Component = "connectors-controller";

    /// <summary>How many distinct Events are remembered for counting (client-go keeps 4096).</summary>
    internal const int MaxRemembered = 4096;

    private readonly Dictionary<string, Recorded> _recorded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// One Event per condition whose status changed (first appearance counts only when False), and per False condition
    /// whose reason or message changed (a 401 that became a 404: <c>describe</c> would otherwise show the old one).
    /// </summary>
    public async Task RecordChangesAsync(IKubeObject subject, IReadOnlyList<Condition>? before, IReadOnlyList<Condition> after, CancellationToken cancellationToken)
    {
        foreach (var condition in after)
        {
            var previous = before?.FirstOrDefault(c => c.Type == condition.Type);
            var changed = previous is null
                ? condition.Status == ConditionStatus.False
                : previous.Status != condition.Status
                    || (condition.Status == ConditionStatus.False && (previous.Reason != condition.Reason || previous.Message != condition.Message));
            if (!changed)
            {
                continue;
            }

            var reason = EventReason(condition);
            var message = $"{condition.Type} is {condition.Status}" + (string.IsNullOrEmpty(condition.Message) ? string.Empty : ": " + condition.Message);
            await RecordAsync(subject, condition.Status == ConditionStatus.False ? "Warning" : "Normal", reason, message, cancellationToken);
        }
    }

    /// <summary>The condition's reason, except the original's own event reasons for a CA bundle that cannot be loaded.</summary>
    internal static string EventReason(Condition condition) => (condition.Type, condition.Status, condition.Reason) switch
    {
        (ConditionTypes.CACertReady, ConditionStatus.False, ConditionReasons.SecretNotFound) => "CACertSecretNotFound",
        (ConditionTypes.CACertReady, ConditionStatus.False, ConditionReasons.InvalidPem) => "InvalidCACert",
        _ => string.IsNullOrEmpty(condition.Reason) ? condition.Type + condition.Status : condition.Reason,
    };

    public async Task RecordAsync(IKubeObject subject, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var ns = string.IsNullOrEmpty(subject.Metadata.Namespace) ? "default" : subject.Metadata.Namespace;
        var name = subject.Metadata.Name!;
        message = message.Length > 1024 ? message[..1024] : message;
        var key = string.Join('\u001f', subject.Kind, ns, name, subject.Metadata.Uid, type, reason, message);
        if (await CountAgainAsync(key, ns, now, cancellationToken))
        {
            return;
        }

        var evt = new Event
        {
            Metadata = new ObjectMeta { Name = $"{name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000):x3}", Namespace = ns },
            InvolvedObject = new ObjectReference
            {
                ApiVersion = subject.ApiVersion,
                Kind = subject.Kind,
                Name = name,
                Namespace = subject.Metadata.Namespace,
                Uid = subject.Metadata.Uid,
                ResourceVersion = subject.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = Environment.MachineName,
        };
        var result = await client.CreateAsync(evt, cancellationToken);
        if (!result.IsOk)
        {
            Log.EventFailed(logger, subject.Kind ?? "object", ns + "/" + name, reason, result.Outcome, result.Message);
            return;
        }

        lock (_gate)
        {
            if (_recorded.Count >= MaxRemembered)
            {
                _recorded.Clear();
            }

            _recorded[key] = new Recorded(ns, evt.Metadata.Name!, 1);
        }
    }

    /// <summary>Counts the Event on the one recorded before under <paramref name="key"/>; false when there is none (any more).</summary>
    private async Task<bool> CountAgainAsync(string key, string ns, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Recorded? previous;
        lock (_gate)
        {
            previous = _recorded.GetValueOrDefault(key);
        }

        if (previous is null)
        {
            return false;
        }

        var count = previous.Count + 1;
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["count"] = count,
            ["lastTimestamp"] = KubeTimeConverter.Format(now),
        };
        var result = await client.PatchAsync<Event>(ns, previous.Name, patch, status: false, cancellationToken);
        lock (_gate)
        {
            if (result.IsOk)
            {
                _recorded[key] = previous with { Count = count };
            }
            else
            {
                // Expired (events live an hour) or never readable: the next one is created anew.
                _recorded.Remove(key);
            }
        }

        return result.IsOk;
    }

    private sealed record Recorded(string Namespace, string Name, int Count);

    private static partial class Log
    {
        [LoggerMessage(2301, LogLevel.Debug, "Could not record Event {Reason} on {Kind} {Object}: {Outcome} {Message}")]
        public static partial void EventFailed(ILogger logger, string kind, string @object, string reason, KubeOutcome outcome, string? message);
    }
}
