using Connectors.Modules.Kube;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class ExecCredentialsTests
{
    // Counts its runs, records KUBERNETES_EXEC_INFO and its arguments, and prints a token numbered by run.
    private const string Plugin = """
        #!/bin/sh
        n=$(cat "$STATE/count" 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > "$STATE/count"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/info"
        echo "$@" > "$STATE/args"
        if [ -n "$FAIL" ]; then echo "login required: run the login command" >&2; echo "second line" >&2; exit 3; fi
        printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"%s"}}' "${VERSION:-client.authentication.k8s.io/v1}" "$n" "$EXPIRES"
        """;

    [Test, CancelAfter(10_000)]
    public async Task GetAuthorizationAsync_Plugin_CachesTokenUntilExpiry(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var config = Load(dir, "EXPIRES: '2026-01-01T00:10:00Z'", clock);
        var first = await config.Credentials!.GetAuthorizationAsync(false, cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(5));
        var cached = await config.Credentials.GetAuthorizationAsync(false, cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(6));
        var renewed = await config.Credentials.GetAuthorizationAsync(false, cancellationToken);
        var info = await File.ReadAllTextAsync(Path.Combine(dir.Path, "info"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first?.ToString(), Is.EqualTo("Bearer tok-1"));
            Assert.That(cached?.ToString(), Is.EqualTo("Bearer tok-1"));
            Assert.That(renewed?.ToString(), Is.EqualTo("Bearer tok-2"));
            Assert.That(info, Does.Contain("\"kind\":\"ExecCredential\"").And.Contain("\"interactive\":false").And.Contain("https://127.0.0.1:6443"));
            Assert.That((await File.ReadAllTextAsync(Path.Combine(dir.Path, "args"), cancellationToken)).Trim(), Is.EqualTo("get-token --cluster dev"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAuthorizationAsync_Refresh_RunsThePluginAgain(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "EXPIRES: ''", TimeProvider.System);
        await config.Credentials!.GetAuthorizationAsync(false, cancellationToken);
        var again = await config.Credentials.GetAuthorizationAsync(false, cancellationToken);
        var refreshed = await config.Credentials.GetAuthorizationAsync(true, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again?.Parameter, Is.EqualTo("tok-1"));
            Assert.That(refreshed?.Parameter, Is.EqualTo("tok-2"));
        }
    }

    [Test, CancelAfter(10_000)]
    public void GetAuthorizationAsync_PluginFails_ReportsExitCodeAndFirstStderrLine(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "FAIL: '1'", TimeProvider.System);
        Assert.That(async () => await config.Credentials!.GetAuthorizationAsync(false, cancellationToken),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains("exited with code 3: login required: run the login command")
                .And.Message.Contains("user \"dev-user\""));
    }

    [Test, CancelAfter(10_000)]
    public void GetAuthorizationAsync_WrongApiVersion_IsRejected(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "VERSION: client.authentication.k8s.io/v1beta1", TimeProvider.System);
        Assert.That(async () => await config.Credentials!.GetAuthorizationAsync(false, cancellationToken),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains("did not print an ExecCredential of client.authentication.k8s.io/v1"));
    }

    [Test, CancelAfter(10_000)]
    public void GetAuthorizationAsync_MissingCommand_SaysSoWithInstallHint(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", Kubeconfig("./no-such-plugin", "X: y", "installHint: install the plugin"));
        var config = KubeconfigLoader.Load(path, null, TimeProvider.System);
        Assert.That(async () => await config.Credentials!.GetAuthorizationAsync(false, cancellationToken),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains("cannot run exec plugin").And.Message.Contains("install the plugin"));
    }

    private static KubeClientConfig Load(TempDirectory dir, string extraEnv, TimeProvider clock)
    {
        var plugin = dir.Write("plugin.sh", Plugin);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return KubeconfigLoader.Load(dir.Write("config", Kubeconfig("./plugin.sh", $"STATE: {dir.Path}\n  " + extraEnv, string.Empty)), null, clock);
    }

    private static string Kubeconfig(string command, string env, string extra)
    {
        var variables = string.Join("\n", env.Split('\n').Select(line => line.Trim()).Where(l => l.Length > 0)
            .Select(line => line.Split(':', 2)).Select(p => $"        - name: {p[0].Trim()}\n          value: {p[1].Trim()}"));
        return $"""
            apiVersion: v1
            current-context: dev
            clusters:
            - name: k
              cluster: {"{"}server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true{"}"}
            contexts:
            - name: dev
              context: {"{"}cluster: k, user: dev-user{"}"}
            users:
            - name: dev-user
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {command}
                  args: [get-token, --cluster, dev]
                  provideClusterInfo: true
                  interactiveMode: Never
                  {extra}
                  env:
            {variables}
            """;
    }
}
