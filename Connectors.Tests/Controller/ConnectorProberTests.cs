using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Connectors.Modules.Templates;
using Connectors.Tests.Probes;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Controller;

/// <summary>
/// The prober against a real loopback tool: CEL conditions of the class decide liveness and auth (the sonarqube
/// class's expressions), their failures land on the Connector's condition, they are parsed once per class
/// generation, and class defaults reach the probe's templates.
/// </summary>
[TestFixture]
public sealed class ConnectorProberTests
{
    private const string StatusCel = "statusCode == 200 && bodyJSON.status == 'UP'";
    private const string ValidCel = "statusCode == 200 && bodyJSON.valid == true";

    private static ConnectorClass SonarLike(string liveness = StatusCel, string auth = ValidCel, long generation = 1) => new()
    {
        Metadata = new ObjectMeta { Name = "sonarqube", Generation = generation },
        Spec = new ConnectorClassSpec
        {
            LivenessProbe = new Probe { Http = new HttpProbeSpec { Path = "/api/system/status", Response = new ProbeResponse { Cel = liveness } } },
            AuthProbes =
            [
                new AuthProbe
                {
                    AuthName = "tokenAuth",
                    Probe = new Probe
                    {
                        Http = new HttpProbeSpec
                        {
                            Path = "/api/authentication/validate",
                            HttpHeaders = [new HttpHeaderSpec { Name = "Authorization", Value = "Bearer {{ .Secret.StringData.token }}" }],
                            Response = new ProbeResponse { Cel = auth },
                        },
                    },
                },
            ],
        },
    };

    private static Connector Sonar(Uri address) => new()
    {
        Metadata = new ObjectMeta { Namespace = "team", Name = "sonar" },
        Spec = new ConnectorSpec { Address = address.ToString(), ConnectorClassName = "sonarqube", Auth = new ConnectorAuth { Name = "tokenAuth" } },
    };

    private static ConnectorProber NewProber(ClassCelConditions cel, ControllerMetrics metrics) =>
        new(HttpProbeTests.NewProbe(), new ProbeBuilder(new TemplateEngine()), metrics, new ControllerOptions(), null, cel);

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_StatusFlipsFromStartingToUp_FalseThenTrue(CancellationToken cancellationToken)
    {
        var status = "STARTING";
        await using var tool = await LoopbackOrigin.StartAsync(
            ctx =>
            {
                ctx.Response.ContentType = "application/json";
                return ctx.Response.WriteAsync($$"""{"status":"{{status}}"}""", ctx.RequestAborted);
            },
            cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);
        var connector = Sonar(tool.BaseAddress);

        var starting = await prober.LivenessAsync(connector, SonarLike(), null, null, cancellationToken);
        status = "UP";
        var up = await prober.LivenessAsync(connector, SonarLike(), null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((starting.Status, starting.Reason), Is.EqualTo((ConditionStatus.False, ConditionReasons.ConnectionFailed)));
            Assert.That(starting.Message, Is.EqualTo($"Liveness probe failed: status code 200: response.cel \"{StatusCel}\" is false"));
            Assert.That(up.Status, Is.EqualTo(ConditionStatus.True));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthAsync_ValidFalseOrTrue_FollowsTheBodyAndSendsTheToken(CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(
            ctx =>
            {
                ctx.Response.ContentType = "application/json";
                var valid = ctx.Request.Headers.Authorization == "Bearer good-token" ? "true" : "false";
                return ctx.Response.WriteAsync($$"""{"valid":{{valid}}}""", ctx.RequestAborted);
            },
            cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);
        var connector = Sonar(tool.BaseAddress);

        var bad = await prober.AuthAsync(connector, SonarLike(), Secrets.Bearer("s", "bad-token"), null, cancellationToken);
        var good = await prober.AuthAsync(connector, SonarLike(), Secrets.Bearer("s", "good-token"), null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((bad.Status, bad.Reason), Is.EqualTo((ConditionStatus.False, ConditionReasons.AuthenticationFailed)));
            Assert.That(bad.Message, Does.Contain("bodyJSON.valid == true\" is false").And.Not.Contain("bad-token"));
            Assert.That(good.Status, Is.EqualTo(ConditionStatus.True));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_BodyWithTooManyJsonValues_FalseSayingTheBodyIsNull(CancellationToken cancellationToken)
    {
        var body = "{\"status\":\"UP\",\"items\":[" + string.Join(',', Enumerable.Repeat("{\"a\":[1,2,3]}", 5000)) + "]}";
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync(body, ctx.RequestAborted), cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);

        var state = await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(), null, null, cancellationToken);

        Assert.That(state.Message, Is.EqualTo($"Liveness probe failed: status code 200: response.cel \"{StatusCel}\" is false ({CelResponse.TooManyValuesNote})"));
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_ConditionAcceptsA401_TheConditionAloneDecides(CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(ctx => { ctx.Response.StatusCode = 401; return Task.CompletedTask; }, cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);

        var alive = await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(liveness: "statusCode < 500"), null, null, cancellationToken);
        var strict = await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(liveness: "statusCode == 200"), null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(alive.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(strict.Message, Is.EqualTo("Liveness probe failed: status code 401: response.cel \"statusCode == 200\" is false"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_ConditionFailsOnTheAnswer_CelEvaluationFailedWithTheReason(CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("""{"health":"GREEN"}""", ctx.RequestAborted), cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);

        var state = await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(liveness: "bodyJSON.status == 'UP'"), null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((state.Status, state.Reason), Is.EqualTo((ConditionStatus.False, ConditionReasons.CelEvaluationFailed)));
            Assert.That(state.Message, Does.StartWith("Liveness probe failed: status code 200: response.cel \"bodyJSON.status == 'UP'\" could not be evaluated: "));
            Assert.That(state.Message, Does.Contain("status"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_ConditionDoesNotParse_InvalidCelAndNothingSent(CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("{}", ctx.RequestAborted), cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);

        var state = await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(liveness: "statusCode =="), null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((state.Status, state.Reason), Is.EqualTo((ConditionStatus.False, ConditionReasons.InvalidCel)));
            Assert.That(state.Message, Does.StartWith("livenessProbe.http.response.cel: "));
            Assert.That(tool.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_ManyProbesOneGeneration_ParsesOncePerGeneration(CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("""{"status":"UP"}""", ctx.RequestAborted), cancellationToken);
        using var metrics = new ControllerMetrics();
        var cel = new ClassCelConditions();
        using var prober = NewProber(cel, metrics);

        for (var i = 0; i < 5; i++)
        {
            await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(), null, null, cancellationToken);
        }

        var afterFirstGeneration = cel.Compilations;
        await prober.LivenessAsync(Sonar(tool.BaseAddress), SonarLike(generation: 2), null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFirstGeneration, Is.EqualTo(2), "the liveness and the auth condition, once");
            Assert.That(cel.Compilations, Is.EqualTo(4));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_ParamOnlyInClassDefault_ReachesTheProbePath(CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = NewProber(new ClassCelConditions(), metrics);
        var connectorClass = new ConnectorClass
        {
            Metadata = new ObjectMeta { Name = "tool", Generation = 1 },
            Spec = new ConnectorClassSpec
            {
                Params = [new ParamSpec { Name = "healthPath", Default = JsonValue.Create("service/rest/v1/status") }],
                LivenessProbe = new Probe
                {
                    Http = new HttpProbeSpec { Path = "/{{ range .Connector.Spec.Params }}{{ if eq .Name \"healthPath\" }}{{ .Value.StringVal }}{{ end }}{{ end }}" },
                },
            },
        };

        var state = await prober.LivenessAsync(Sonar(tool.BaseAddress), connectorClass, null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Status, Is.EqualTo(ConditionStatus.True));
            Assert.That(tool.Seen.Single().PathAndQuery, Is.EqualTo("/service/rest/v1/status"));
        }
    }
}
