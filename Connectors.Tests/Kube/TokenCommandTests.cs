using Connectors.Host.Cli;
using Connectors.Tests.Support;

namespace Connectors.Tests.Kube;

/// <summary><c>connectors token create</c> against the embedded API, and its one-line failures.</summary>
[TestFixture]
public sealed class TokenCommandTests
{
    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_TokenCreate_PrintsOnlyATokenTheApiAccepts(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", api.KubeconfigPath, "--namespace", "kube-system", "--service-account", "default", "--duration", "30m", "--audience", "connectors");
        using var client = EmbeddedKube.Admin(api);
        var review = await client.ReviewTokenAsync(output.Trim(), ["connectors"], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(output.TrimEnd('\n'), Does.Not.Contain('\n').And.Not.Contain(' '));
            Assert.That(review.Value?.Status?.User?.Username, Is.EqualTo("system:serviceaccount:kube-system:default"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_UnknownServiceAccount_ExitsOneWithOneLine(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", api.KubeconfigPath, "--service-account", "nobody");
        AssertOneLineFailure(code, output, error, "connectors: cannot create a token for serviceaccount default/nobody at " + api.BaseUrl);
    }

    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_RejectedToken_ExitsOneNamingContext(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var dir = new TempDirectory();
        var kubeconfig = dir.Write("kubeconfig", (await File.ReadAllTextAsync(api.KubeconfigPath, cancellationToken)).Replace(api.AdminToken, "expired-token", StringComparison.Ordinal));
        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", kubeconfig, "--service-account", "default");
        AssertOneLineFailure(code, output, error, "rejected the credentials of context \"connectors-embedded\" of kubeconfig " + kubeconfig);
    }

    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_MalformedKubeconfig_ExitsOneNamingFile(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var kubeconfig = dir.Write("kubeconfig", "clusters: [\n");
        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", kubeconfig, "--service-account", "default");
        AssertOneLineFailure(code, output, error, "connectors: malformed kubeconfig " + kubeconfig);
    }

    [TestCase("", "the file is empty")]
    [TestCase("garbage\n", "not a YAML mapping (a kubeconfig has apiVersion, clusters, users and contexts)")]
    [TestCase("a: 1\n---\nb: 2\n", "2 YAML documents, want one")]
    [CancelAfter(20_000)]
    public async Task InvokeAsync_KubeconfigNotOneMapping_SaysWhatTheFileIs(string text, string reason, CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var kubeconfig = dir.Write("kubeconfig", text);
        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", kubeconfig, "--service-account", "default");
        AssertOneLineFailure(code, output, error, $"connectors: malformed kubeconfig {kubeconfig}: {reason}");
    }

    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_MissingKubeconfig_SaysNoSuchFileAndWhereItCameFrom(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var kubeconfig = System.IO.Path.Combine(dir.Path, "nope");
        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", kubeconfig, "--service-account", "default");
        AssertOneLineFailure(code, output, error, $"connectors: cannot read kubeconfig {kubeconfig}: no such file (check --kubeconfig or $KUBECONFIG)");
    }

    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_UnreachableServer_ExitsOneNamingUrl(CancellationToken cancellationToken)
    {
        string kubeconfig;
        using var dir = new TempDirectory();
        Uri address;
        await using (var api = await EmbeddedApi.StartAsync(cancellationToken))
        {
            kubeconfig = dir.Write("kubeconfig", await File.ReadAllTextAsync(api.KubeconfigPath, cancellationToken));
            address = api.BaseUrl;
        }

        var (code, output, error) = await RunAsync(cancellationToken, "token", "create", "--kubeconfig", kubeconfig, "--service-account", "default");
        AssertOneLineFailure(code, output, error, address + "api/v1/namespaces/default/serviceaccounts/default/token: cannot reach the Kubernetes API");
    }

    [Test, CancelAfter(20_000)]
    public async Task InvokeAsync_BadDuration_IsUsageError(CancellationToken cancellationToken)
    {
        var (code, _, error) = await RunAsync(cancellationToken, "token", "create", "--service-account", "default", "--duration", "soon");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith("connectors: --duration:"));
        }
    }

    private static void AssertOneLineFailure(int code, string output, string error, string expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain(expected));
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ConnectorsCommandLine.InvokeAsync(args, output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
