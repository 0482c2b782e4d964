using System.Text.RegularExpressions;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Host;

/// <summary>
/// <c>connectors doctor</c> (the real executable) against <c>connectors run --role controller,proxy --embedded</c>
/// with the quickstart applied: each test copies the quickstart's workload (ServiceAccount <c>builder</c>, its
/// RoleBinding to <c>connectors-connector-viewer-role</c>, a git Connector, here on a loopback tool) into a namespace
/// of its own, breaks one link on purpose, and checks that the doctor finds it.
/// </summary>
[TestFixture]
public sealed partial class DoctorCommandTests
{
    private const string Kubectl = ExternalCommand.Kubectl;
    private EmbeddedRun _run = null!;
    private ToolServer _tool = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        _tool = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 200, timeout.Token);
        _run = await EmbeddedRun.StartAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _run.DisposeAsync();
        await _tool.DisposeAsync();
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_QuickstartWorkload_EveryStepPassesAndExitsZero(CancellationToken cancellationToken)
    {
        await ArrangeAsync("doctor-well", cancellationToken);

        var (code, stdout, stderr) = await DoctorAsync("doctor-well", cancellationToken, "--target", _tool.BaseAddress + "org/repo.git/info/refs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, stdout + stderr);
            Assert.That(stderr, Is.Empty);
            Assert.That(Lines(stdout).Select(l => l[..4]), Is.All.EqualTo("ok  "), stdout);
            Assert.That(stdout, Does.Contain("ok   connector doctor-well/git: exists and is Ready"));
            Assert.That(stdout, Does.Contain("ok   service connectors-system/connectors-proxy-service: exists"));
            Assert.That(stdout, Does.Contain("ok   service doctor-well/c-git: exists"));
            Assert.That(stdout, Does.Contain("ok   rbac system:serviceaccount:doctor-well:builder: may get connectors.connectors.alauda.io/git"));
            Assert.That(stdout, Does.Match(@"ok   token for serviceaccount doctor-well/builder: <\d+ bytes> passes a TokenReview"));
            Assert.That(stdout, Does.Contain($"ok   proxy {_run.ProxyUrl}namespaces/doctor-well/connectors/git: accepted the token and forwarded the request to the tool (the tool answered 200)"));
            Assert.That(stdout, Does.Contain("ok   target "));
            Assert.That(stdout, Does.Match(@"ok   configuration gitconfig: renders \(\.gitconfig \d+ bytes\)"));
            Assert.That(JwtLike().IsMatch(stdout + stderr), Is.False, "a token was printed");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_ConnectorMissing_FailsAndSkipsEverythingElse(CancellationToken cancellationToken)
    {
        await ArrangeAsync("doctor-missing", cancellationToken);

        var (code, stdout, _) = await ConnectorsProcess.RunAsync(
            ["doctor", "--kubeconfig", _run.KubeconfigPath, "-n", "doctor-missing", "--service-account", "builder", "--connector", "gti"], cancellationToken);

        var lines = Lines(stdout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(lines[0], Does.StartWith("FAIL connector doctor-missing/gti: not found; list the Connectors with `kubectl get connectors -n doctor-missing`"));
            Assert.That(lines.Skip(1), Is.Not.Empty.And.All.StartWith("skip ").And.All.EndWith(": needs the connector"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_ConnectorNotReady_NamesTheFailingCondition(CancellationToken cancellationToken)
    {
        // The quickstart's own github Connector offline: nothing listens at its address.
        await ArrangeAsync("doctor-unready", cancellationToken, address: $"http://127.0.0.1:{FreePort.Next()}", ready: false);

        var (code, stdout, stderr) = await DoctorAsync("doctor-unready", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stderr, Is.EqualTo($"connectors: doctor: 2 of {Lines(stdout).Count} checks failed: connector, proxy; each FAIL line says what to fix\n"), "one line on stderr names the failed steps");
            Assert.That(stdout, Does.Match(@"FAIL connector doctor-unready/git: is not Ready: LivenessReady is False \(ConnectionFailed\): .+; see `kubectl describe connector git -n doctor-unready`"));
            Assert.That(stdout, Does.Contain("ok   rbac "));
            Assert.That(stdout, Does.Contain("FAIL proxy ").And.Contain("the proxy trusts the token but cannot reach the tool (502"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_ClassMissing_FailsClassAndSkipsWhatNeedsIt(CancellationToken cancellationToken)
    {
        await ArrangeAsync("doctor-noclass", cancellationToken, className: "gti", ready: false);

        var (code, stdout, _) = await DoctorAsync("doctor-noclass", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain("FAIL connector doctor-noclass/git: is not Ready: ConnectorClassReady is False"));
            Assert.That(stdout, Does.Contain("FAIL connectorclass gti: not found; install it"));
            Assert.That(stdout, Does.Contain("skip proxy service: needs the connectorclass"));
            Assert.That(stdout, Does.Contain("skip configurations: needs the connectorclass"));
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Doctor_RoleBindingMissing_PrintsTheRoleBindingThatFixesIt(CancellationToken cancellationToken)
    {
        Assume.That(File.Exists(Kubectl), Is.True, "kubectl 1.33 is not installed");
        await ArrangeAsync("doctor-norbac", cancellationToken, roleBinding: false);

        var (code, stdout, _) = await DoctorAsync("doctor-norbac", cancellationToken);
        var fix = FixCommand().Match(stdout);
        Assert.That(fix.Success, Is.True, stdout);
        var kubectl = await ExternalCommand.RunAsync(Kubectl, ["--kubeconfig", _run.KubeconfigPath, .. fix.Groups[1].Value.Split(' ')[1..]], null, cancellationToken);
        var (fixedCode, fixedStdout, _) = await DoctorAsync("doctor-norbac", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain("FAIL rbac system:serviceaccount:doctor-norbac:builder: may not get connectors.connectors.alauda.io/git in namespace doctor-norbac; fix: "));
            Assert.That(fix.Groups[1].Value, Is.EqualTo(
                "kubectl create rolebinding builder-uses-connectors -n doctor-norbac --clusterrole=connectors-connector-viewer-role --serviceaccount=doctor-norbac:builder"));
            Assert.That(stdout, Does.Contain("skip proxy ").And.Contain("needs the rbac step"));
            Assert.That(kubectl.ExitCode, Is.Zero, kubectl.Output);
            Assert.That(fixedCode, Is.Zero, fixedStdout);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_ProxyNotRunning_FailsProxyStep(CancellationToken cancellationToken)
    {
        // A class served by a proxy Service whose proxy is down: nothing listens behind its URL.
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        await CreateProxyServiceAsync("doctor-stopped-proxy", dead, cancellationToken);
        await CopyGitClassAsync("git-doctor-stopped-proxy", c => c.Spec.Proxy!.Ref!.Name = "doctor-stopped-proxy", cancellationToken);
        await ArrangeAsync("doctor-noproxy", cancellationToken, className: "git-doctor-stopped-proxy");

        var (code, stdout, _) = await DoctorAsync("doctor-noproxy", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain("ok   token for serviceaccount doctor-noproxy/builder"));
            Assert.That(stdout, Does.Contain($"FAIL proxy {dead}/namespaces/doctor-noproxy/connectors/git: no answer from {dead[7..]}: connection refused; is the proxy running?"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_ToolAnswers403_ProxyStepTellsTheToolsAnswerFromTheProxys(CancellationToken cancellationToken)
    {
        // A tool that refuses everything (its liveness probe too): its 403 is not the proxy refusing the token.
        await using var refusing = await ToolServer.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = 403;
            await ctx.Response.WriteAsync("forbidden by the tool", cancellationToken);
        }, cancellationToken);
        await ArrangeAsync("doctor-tool403", cancellationToken, address: refusing.BaseAddress.ToString().TrimEnd('/'), ready: false);

        var (code, stdout, _) = await DoctorAsync("doctor-tool403", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain("FAIL connector doctor-tool403/git: is not Ready: LivenessReady is False"));
            Assert.That(stdout, Does.Contain("ok   proxy ").And.Contain("accepted the token and forwarded the request to the tool (the tool answered 403)"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_TargetNotAnAddress_FailsTargetStep(CancellationToken cancellationToken)
    {
        await ArrangeAsync("doctor-target", cancellationToken);

        var (code, stdout, _) = await DoctorAsync("doctor-target", cancellationToken, "--target", "https://github.com/octocat/Hello-World.git?token=s3cret");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain($"FAIL target https://github.com/octocat/Hello-World.git: matches no address of the Connector ({_tool.BaseAddress.ToString().TrimEnd('/')})"));
            Assert.That(stdout, Does.Not.Contain("s3cret"));
            Assert.That(Lines(stdout).Count(l => l.StartsWith("FAIL", StringComparison.Ordinal)), Is.EqualTo(1), stdout);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_TemplateBroken_NamesTheConfigurationAndNeverTheToken(CancellationToken cancellationToken)
    {
        await CopyGitClassAsync("git-doctor-broken", c => c.Spec.Configurations =
        [
            new ConfigurationSpec { Name = "gitconfig", Data = new() { [".gitconfig"] = "[http]\n    extraHeader = {{ .context.token | nosuchfunc }}\n" } },
            new ConfigurationSpec { Name = "leaky", Data = new() { ["leak"] = "{{ fail .context.token }}" } },
            new ConfigurationSpec
            {
                Name = "mustache",
                Annotations = new() { [WellKnown.TemplateEngineAnnotation] = "mustache" },
                Data = new() { ["m"] = "{{x}}" },
            },
        ], cancellationToken);
        await ArrangeAsync("doctor-template", cancellationToken, className: "git-doctor-broken");

        var (code, stdout, stderr) = await DoctorAsync("doctor-template", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain("FAIL configuration gitconfig: file \".gitconfig\" does not render: template: .gitconfig:2:").And.Contain("\"nosuchfunc\" not defined"));
            Assert.That(stdout, Does.Contain("FAIL configuration leaky: file \"leak\" does not render: ").And.Contain("[redacted]"));
            Assert.That(stdout, Does.Contain(
                "FAIL configuration mustache: configuration \"mustache\" of connectorclass \"git-doctor-broken\" asks for unknown template engine \"mustache\": want go or handlebars; fix connectorclass git-doctor-broken"));
            Assert.That(JwtLike().IsMatch(stdout + stderr), Is.False, "a token was printed");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Doctor_HostFormProxyAddress_SkipsOutsideTheClusterAndChecksThroughProxyUrl(CancellationToken cancellationToken)
    {
        // An in-cluster proxy Service (no external URL): the Connector's proxy address is http://c-git.<ns>.svc.cluster.local.
        await CreateProxyServiceAsync("doctor-in-cluster-proxy", null, cancellationToken);
        await CopyGitClassAsync("git-doctor-in-cluster", c => c.Spec.Proxy!.Ref!.Name = "doctor-in-cluster-proxy", cancellationToken);
        await ArrangeAsync("doctor-hostform", cancellationToken, className: "git-doctor-in-cluster");
        // The Connector is Ready; the class's own status is written by another reconciler and may come a moment later.
        await ClassReadyAsync("git-doctor-in-cluster", cancellationToken);

        var (code, stdout, _) = await DoctorAsync("doctor-hostform", cancellationToken);
        var (viaCode, viaStdout, _) = await DoctorAsync("doctor-hostform", cancellationToken, "--proxy-url", _run.ProxyUrl.ToString());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, stdout);
            Assert.That(stdout, Does.Contain("skip proxy http://c-git.doctor-hostform.svc.cluster.local: c-git.doctor-hostform.svc.cluster.local is a cluster DNS name that does not resolve here"));
            Assert.That(viaCode, Is.Zero, viaStdout);
            Assert.That(viaStdout, Does.Contain("ok   proxy http://c-git.doctor-hostform.svc.cluster.local: accepted the token and forwarded the request to the tool (the tool answered 200)"));
        }
    }

    [TestCase("--connector", "git")]
    [TestCase("--service-account", "builder")]
    [TestCase("--service-account", "builder", "--connector", "git", "--target", "not a url")]
    [TestCase("--service-account", "builder", "--connector", "a/git", "--namespace", "b")]
    [CancelAfter(30_000)]
    public async Task Doctor_BadArguments_ExitsTwoWithUsage(string a, string b, string? c = null, string? d = null, string? e = null, string? f = null, CancellationToken cancellationToken = default)
    {
        string[] args = ["doctor", a, b, .. new[] { c, d, e, f }.OfType<string>()];

        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(args, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("connectors: ").And.Contain("Usage:"));
            Assert.That(stdout, Is.Empty);
        }
    }

    [TestCase("--target", "not a url?token=s3cret", "connectors: --target: want an absolute http or https URL, e.g. https://git.example.com/group/repo.git")]
    [TestCase("--proxy-url", "127.0.0.1:8080", "connectors: --proxy-url: want an absolute http or https URL, e.g. http://127.0.0.1:8080")]
    [CancelAfter(30_000)]
    public async Task Doctor_BadUrl_NamesTheFlagWithoutRepeatingTheValue(string flag, string value, string firstLine, CancellationToken cancellationToken)
    {
        var (code, _, stderr) = await ConnectorsProcess.RunAsync(["doctor", "--service-account", "builder", "--connector", "git", flag, value], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((code, stderr.Split('\n')[0]), Is.EqualTo((2, firstLine)));
            Assert.That(stderr, Does.Not.Contain("s3cret"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task KubectlPlugin_KubectlConnectorsDoctor_RunsThroughTheLink(CancellationToken cancellationToken)
    {
        Assume.That(File.Exists(Kubectl), Is.True, "kubectl 1.33 is not installed");
        await ArrangeAsync("doctor-plugin", cancellationToken);
        using var bin = new TempDirectory();
        File.CreateSymbolicLink(bin.Combine("kubectl-connectors"), Path.Combine(AppContext.BaseDirectory, "connectors"));
        var path = bin.Path + ":" + Environment.GetEnvironmentVariable("PATH");

        var plugins = await ExternalCommand.RunAsync(Kubectl, ["plugin", "list"], path, cancellationToken);
        var doctor = await ExternalCommand.RunAsync(Kubectl, ["connectors", "doctor", "--kubeconfig", _run.KubeconfigPath, "-n", "doctor-plugin", "--service-account", "builder", "--connector", "git"], path, cancellationToken);
        var help = await ExternalCommand.RunAsync(Kubectl, ["connectors", "doctor", "--help"], path, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plugins.Output, Does.Contain(bin.Combine("kubectl-connectors")));
            Assert.That(doctor.ExitCode, Is.Zero, doctor.Output);
            Assert.That(doctor.Output, Does.Contain("ok   connector doctor-plugin/git: exists and is Ready").And.Contain("ok   proxy "));
            Assert.That(help.Output, Does.Contain("kubectl connectors doctor [options]"));
        }
    }

    private Task ArrangeAsync(string ns, CancellationToken cancellationToken, string className = "git", string? address = null, bool roleBinding = true, bool ready = true) =>
        _run.ArrangeWorkloadAsync(ns, address ?? _tool.BaseAddress.ToString().TrimEnd('/'), cancellationToken, className, roleBinding, ready);

    /// <summary>A proxy Service in the components namespace, exposed at <paramref name="externalUrl"/> (none: in-cluster only).</summary>
    private async Task CreateProxyServiceAsync(string name, string? externalUrl, CancellationToken cancellationToken) =>
        await _run.CreateAsync(new Service
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = WellKnown.DefaultComponentsNamespace,
                Annotations = externalUrl is null ? null : new() { [WellKnown.ExternalUrlAnnotation] = externalUrl },
            },
            Spec = new ServiceSpec { Type = "ClusterIP", Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP" }] },
        }, cancellationToken);

    /// <summary>Creates a copy of the built-in git class named <paramref name="name"/>, changed by <paramref name="change"/>.</summary>
    private async Task CopyGitClassAsync(string name, Action<ConnectorClass> change, CancellationToken cancellationToken)
    {
        var git = (await _run.Client.GetAsync<ConnectorClass>(null, "git", cancellationToken)).GetValueOrThrow();
        git.Metadata = new ObjectMeta { Name = name, Annotations = git.Metadata.Annotations };
        git.Status = null;
        change(git);
        await _run.CreateAsync(git, cancellationToken);
    }

    private async Task ClassReadyAsync(string name, CancellationToken cancellationToken)
    {
        while ((await _run.Client.GetAsync<ConnectorClass>(null, name, cancellationToken)).GetValueOrThrow().Status?.Conditions?
               .Any(c => c.Type == "Ready" && c.Status == "True") != true)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> DoctorAsync(string ns, CancellationToken cancellationToken, params string[] extra) =>
        _run.DoctorAsync(ns, cancellationToken, extra);

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    [GeneratedRegex("fix: `(kubectl create rolebinding [^`]+)`")]
    private static partial Regex FixCommand();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.")]
    private static partial Regex JwtLike();
}
