using System.Text.RegularExpressions;
using Connectors.Tests.Support;

namespace Connectors.Tests.Host;

/// <summary>
/// <c>connectors doctor</c> where ConfigMap <c>connectors-config</c> turns on
/// <c>enable-connector-proxy-permissions</c> (a run of its own: the flag changes what the proxy requires of everyone).
/// </summary>
[TestFixture]
public sealed partial class DoctorProxyPermissionsTests
{
    private const string Config = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: connectors-config, namespace: connectors-system}
        data: {enable-connector-proxy-permissions: "true"}
        """;

    private EmbeddedRun _run = null!;
    private ToolServer _tool = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        _tool = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 200, timeout.Token);
        _run = await EmbeddedRun.StartAsync(timeout.Token, Config);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _run.DisposeAsync();
        await _tool.DisposeAsync();
    }

    [Test, CancelAfter(90_000)]
    public async Task Doctor_ProxySubresourceNotGranted_PrintsTheRoleAndBindingThatFixIt(CancellationToken cancellationToken)
    {
        Assume.That(File.Exists(ExternalCommand.Kubectl), Is.True, "kubectl 1.33 is not installed");
        await _run.ArrangeWorkloadAsync("doctor-proxyperm", _tool.BaseAddress.ToString().TrimEnd('/'), cancellationToken);

        var (code, stdout, _) = await _run.DoctorAsync("doctor-proxyperm", cancellationToken);
        var fixes = FixCommand().Matches(stdout).Select(m => m.Groups[1].Value).ToList();
        var applied = new List<(int ExitCode, string Output)>();
        foreach (var fix in fixes)
        {
            applied.Add(await ExternalCommand.RunAsync(ExternalCommand.Kubectl, ["--kubeconfig", _run.KubeconfigPath, .. fix.Split(' ')[1..]], null, cancellationToken));
        }

        var (fixedCode, fixedStdout, _) = await _run.DoctorAsync("doctor-proxyperm", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stdout, Does.Contain(
                "FAIL rbac system:serviceaccount:doctor-proxyperm:builder: may get connectors.connectors.alauda.io/git in namespace doctor-proxyperm "
                + "but not get its connectors/proxy subresource, which the proxy requires while enable-connector-proxy-permissions is true in ConfigMap connectors-system/connectors-config"));
            Assert.That(fixes, Is.EqualTo(new[]
            {
                "kubectl create role connectors-proxy-user -n doctor-proxyperm --verb=get --resource=connectors.connectors.alauda.io/proxy",
                "kubectl create rolebinding builder-uses-connectors-proxy -n doctor-proxyperm --role=connectors-proxy-user --serviceaccount=doctor-proxyperm:builder",
            }));
            Assert.That(applied.Select(a => a.ExitCode), Is.All.Zero, string.Join("\n", applied.Select(a => a.Output)));
            Assert.That(fixedCode, Is.Zero, fixedStdout);
            Assert.That(fixedStdout, Does.Contain("and its connectors/proxy subresource (enable-connector-proxy-permissions is true"));
        }
    }

    [GeneratedRegex("`(kubectl create [^`]+)`")]
    private static partial Regex FixCommand();
}
