using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class EventRecorderTests
{
    private ControllerTestBed _bed = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _bed = await ControllerTestBed.StartAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _bed.DisposeAsync();

    private static Condition Auth(string status, string? reason = null, string? message = null) =>
        new() { Type = ConditionTypes.AuthReady, Status = status, Reason = reason, Message = message };

    [Test, CancelAfter(20_000)]
    public async Task RecordChangesAsync_FalseConditionNewMessageOrReason_OneEventEachAndNoneForTheSameAgain(CancellationToken cancellationToken)
    {
        var ns = await _bed.NamespaceAsync(cancellationToken);
        var connector = Fixtures.GitConnector(ns, "events", "https://git.example.com");
        connector.Metadata.Uid = Guid.NewGuid().ToString();
        var recorder = _bed.Controller.Services.GetRequiredService<EventRecorder>();
        var unauthorized = Auth(ConditionStatus.False, ConditionReasons.AuthenticationFailed, "Authentication failed: status code 401");
        var notFound = Auth(ConditionStatus.False, ConditionReasons.AuthenticationFailed, "Authentication failed: status code 404");
        var unreachable = Auth(ConditionStatus.False, ConditionReasons.ConnectionFailed, "Authentication failed: status code 404");

        await recorder.RecordChangesAsync(connector, [Auth(ConditionStatus.True)], [unauthorized], cancellationToken);
        await recorder.RecordChangesAsync(connector, [unauthorized], [unauthorized], cancellationToken);
        await recorder.RecordChangesAsync(connector, [unauthorized], [notFound], cancellationToken);
        await recorder.RecordChangesAsync(connector, [notFound], [unreachable], cancellationToken);
        await recorder.RecordChangesAsync(connector, [Auth(ConditionStatus.Unknown, message: "waiting")], [Auth(ConditionStatus.Unknown, message: "waiting for LivenessReady")], cancellationToken);

        var events = (await _bed.Controller.Client.ListAsync<Event>(ns, null, cancellationToken)).GetValueOrThrow().Items
            .Where(e => e.InvolvedObject?.Name == "events").OrderBy(e => e.Message, StringComparer.Ordinal).ThenBy(e => e.Reason, StringComparer.Ordinal).Select(e => (e.Reason, e.Message)).ToList();
        Assert.That(events, Is.EqualTo(new[]
        {
            (ConditionReasons.AuthenticationFailed, "AuthReady is False: Authentication failed: status code 401"),
            (ConditionReasons.AuthenticationFailed, "AuthReady is False: Authentication failed: status code 404"),
            (ConditionReasons.ConnectionFailed, "AuthReady is False: Authentication failed: status code 404"),
        }));
    }
}
