using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connectors.Tests.Support;
using static Connectors.Tests.Manifests.InstallManifests;

namespace Connectors.Tests.Manifests;

[TestFixture]
public sealed partial class InstallManifestsTests
{
    [Test]
    public void Kustomization_Resources_ListEveryManifestFileExactlyOnce()
    {
        var onDisk = Directory.EnumerateFiles(TestData.Path("manifests"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestData.Path("manifests"), f).Replace('\\', '/'))
            .Where(f => f != "kustomization.yaml" && !f.StartsWith("monitoring/", StringComparison.Ordinal))   // applied on its own: -k manifests/monitoring
            .Order(StringComparer.Ordinal);

        Assert.That(Resources().Order(StringComparer.Ordinal), Is.EqualTo(onDisk));
    }

    [Test]
    public void Workloads_Selectors_MatchTheirPodTemplateLabels()
    {
        foreach (var workload in OfKind("Deployment").Concat(OfKind("DaemonSet")))
        {
            var selector = Map(workload["spec"]!["selector"]!["matchLabels"]);
            var labels = Map(workload["spec"]!["template"]!["metadata"]!["labels"]);
            Assert.That(selector, Is.Not.Empty.And.SubsetOf(labels), Name(workload));
        }
    }

    [Test]
    public void Workloads_ServiceAccounts_ExistInTheirNamespace()
    {
        var accounts = OfKind("ServiceAccount").Select(a => $"{Namespace(a)}/{Name(a)}").ToHashSet();
        foreach (var workload in OfKind("Deployment").Concat(OfKind("DaemonSet")))
        {
            var sa = workload["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>();
            Assert.That(accounts, Does.Contain($"{Namespace(workload)}/{sa}"), Name(workload));
        }
    }

    [Test]
    public void Workloads_ProbePorts_AreDeclaredContainerPorts()
    {
        foreach (var workload in OfKind("Deployment").Concat(OfKind("DaemonSet")))
        {
            foreach (var container in workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            {
                var ports = container!["ports"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet() ?? [];
                foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
                {
                    if (container[probe]?["httpGet"]?["port"] is JsonValue port && port.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        Assert.That(ports, Does.Contain(port.GetValue<string>()), $"{Name(workload)}/{container["name"]} {probe}");
                    }
                }
            }
        }
    }

    [Test]
    public void ProxyService_SelectorAndTargetPort_MatchTheProxyDeployment()
    {
        var service = Named("Service", "connectors-proxy-service");
        var deployment = Named("Deployment", "connectors-proxy");
        var template = deployment["spec"]!["template"]!;
        var port = service["spec"]!["ports"]!.AsArray().Single()!;
        var containerPorts = template["spec"]!["containers"]![0]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Map(service["spec"]!["selector"]), Is.SubsetOf(Map(template["metadata"]!["labels"])));
            Assert.That(port["port"]!.GetValue<long>(), Is.EqualTo(80));
            Assert.That(containerPorts, Does.Contain(port["targetPort"]!.GetValue<string>()));
            Assert.That(Namespace(service), Is.EqualTo("connectors-system"));
        }
    }

    [Test]
    public void Bindings_ReferToExistingRolesAndServiceAccounts()
    {
        var accounts = OfKind("ServiceAccount").Select(a => $"{Namespace(a)}/{Name(a)}").ToHashSet();
        foreach (var binding in OfKind("RoleBinding").Concat(OfKind("ClusterRoleBinding")))
        {
            var roleRef = binding["roleRef"]!;
            var roleKind = roleRef["kind"]!.GetValue<string>();
            var roles = OfKind(roleKind).Where(r => roleKind == "ClusterRole" || Namespace(r) == Namespace(binding)).Select(Name);
            Assert.That(roles, Does.Contain(roleRef["name"]!.GetValue<string>()), Name(binding));
            foreach (var subject in binding["subjects"]!.AsArray())
            {
                Assert.That(accounts, Does.Contain($"{subject!["namespace"]}/{subject["name"]}"), Name(binding));
            }
        }
    }

    [Test]
    public void Rbac_EachRole_HasItsOwnServiceAccountAndNoWildcards()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OfKind("ServiceAccount").Select(Name), Is.EquivalentTo(new[] { "connectors-controller", "connectors-proxy", "connectors-csi" }));
            foreach (var role in OfKind("ClusterRole").Concat(OfKind("Role")))
            {
                foreach (var rule in role["rules"]!.AsArray())
                {
                    var words = rule!["verbs"]!.AsArray().Concat(rule["resources"]!.AsArray()).Concat(rule["apiGroups"]!.AsArray()).Select(v => v!.GetValue<string>());
                    Assert.That(words, Does.Not.Contain("*"), Name(role));
                }
            }

            // Only the controller writes anything cluster-wide; the proxy and CSI driver only read and review.
            var writeVerbs = new[] { "create", "update", "patch", "delete" };
            foreach (var name in new[] { "connectors-proxy", "connectors-csi" })
            {
                var writes = Named("ClusterRole", name)["rules"]!.AsArray()
                    .Where(r => r!["verbs"]!.AsArray().Any(v => writeVerbs.Contains(v!.GetValue<string>())))
                    .SelectMany(r => r!["resources"]!.AsArray().Select(x => x!.GetValue<string>()));
                Assert.That(writes, Is.SubsetOf(new[] { "tokenreviews", "subjectaccessreviews", "serviceaccounts/token" }), name);
            }
        }
    }

    [Test]
    public void Controller_AndProxy_RunTwoReplicasSpreadAcrossNodes()
    {
        foreach (var name in new[] { "connectors-controller", "connectors-proxy" })
        {
            var spec = Named("Deployment", name)["spec"]!;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(spec["replicas"]!.GetValue<long>(), Is.EqualTo(2), name);
                Assert.That(spec["template"]!["spec"]!["affinity"]!["podAntiAffinity"], Is.Not.Null, name);
                Assert.That(spec["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"], Is.Not.Null, name);
            }
        }
    }

    [Test]
    public void CsiNode_DaemonSet_IsPrivilegedWithBidirectionalPodsMountAndSidecars()
    {
        var pod = Named("DaemonSet", "connectors-csi")["spec"]!["template"]!["spec"]!;
        var driver = pod["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "driver")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(driver["securityContext"]!["privileged"]!.GetValue<bool>(), Is.True);
            Assert.That(driver["volumeMounts"]!.AsArray().Single(m => m!["mountPath"]!.GetValue<string>() == "/var/lib/kubelet/pods")!["mountPropagation"]!.GetValue<string>(), Is.EqualTo("Bidirectional"));
            Assert.That(pod["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()), Is.SupersetOf(new[] { "node-driver-registrar", "liveness-probe" }));
            Assert.That(driver["args"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Contain("--csi-endpoint=unix:///csi/csi.sock"));
        }
    }

    [Test]
    public void CsiDriver_IsEphemeralWithPodInfoAndRepublish()
    {
        var spec = Named("CSIDriver", "connectors-csi")["spec"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec["attachRequired"]!.GetValue<bool>(), Is.False);
            Assert.That(spec["podInfoOnMount"]!.GetValue<bool>(), Is.True);
            Assert.That(spec["requiresRepublish"]!.GetValue<bool>(), Is.True);
            Assert.That(spec["volumeLifecycleModes"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "Ephemeral" }));
        }
    }

    [Test]
    public void ConfigMap_FeatureFlags_AreAllFalse()
    {
        var data = Map(Named("ConfigMap", "connectors-config")["data"]);
        Assert.That(data, Has.Count.EqualTo(7).And.All.Property("Value").EqualTo("false"));
    }

    [Test]
    public void BuiltInClasses_HaveAnnotationsProxyAndValidFileNames()
    {
        var classes = OfKind("ConnectorClass").ToArray();
        Assert.That(classes.Select(Name), Is.EquivalentTo(new[] { "git", "gitlab", "github", "k8s", "oci", "harbor", "pypi", "npm", "maven", "sonarqube", "nexus", "jfrog" }));
        foreach (var cls in classes)
        {
            var annotations = Map(cls["metadata"]!["annotations"]);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(annotations.Keys, Is.SupersetOf(new[] { "cpaas.io/display-name", "cpaas.io/description", "connectors.cpaas.io/readme" }), Name(cls));
                Assert.That(cls["spec"]!["proxy"]!["ref"]!["name"]!.GetValue<string>(), Is.EqualTo("connectors-proxy-service"), Name(cls));
                foreach (var configuration in cls["spec"]!["configurations"]!.AsArray())
                {
                    foreach (var (file, _) in configuration!["data"]!.AsObject())
                    {
                        Assert.That(FileName().IsMatch(file) && file is not "." and not "..", Is.True, $"{Name(cls)}: {file}");
                    }
                }
            }
        }
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex FileName();
}
