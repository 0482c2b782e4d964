using System.Text.Json.Nodes;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Kube;

/// <summary>The client against the embedded Kubernetes-compatible API over HTTPS.</summary>
[TestFixture]
public sealed class KubeClientEmbeddedTests
{
    [Test, CancelAfter(20_000)]
    public async Task CrudAsync_Connector_CreatesReadsUpdatesAndDeletes(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var created = await client.CreateAsync(NewConnector("git-1", "git"), cancellationToken);
        var read = await client.GetAsync<Connector>("default", "git-1", cancellationToken);
        read.Value!.Spec.Address = "https://example.com/changed";
        var updated = await client.UpdateAsync(read.Value, cancellationToken);
        var deleted = await client.DeleteAsync<Connector>("default", "git-1", cancellationToken);
        var gone = await client.GetAsync<Connector>("default", "git-1", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.IsOk, Is.True, created.Message);
            Assert.That(read.Value.Metadata.Uid, Is.EqualTo(created.Value!.Metadata.Uid));
            Assert.That(updated.Value?.Spec.Address, Is.EqualTo("https://example.com/changed"));
            Assert.That(updated.Value?.Metadata.Generation, Is.EqualTo(2));
            Assert.That(deleted.IsOk, Is.True, deleted.Message);
            Assert.That(gone.Outcome, Is.EqualTo(KubeOutcome.NotFound));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UpdateAsync_StaleResourceVersion_IsConflict(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var first = (await client.CreateAsync(NewConnector("c", "git"), cancellationToken)).Value!;
        var second = (await client.GetAsync<Connector>("default", "c", cancellationToken)).Value!;
        first.Spec.Address = "https://one.example";
        await client.UpdateAsync(first, cancellationToken);
        second.Spec.Address = "https://two.example";
        var stale = await client.UpdateAsync(second, cancellationToken);
        var again = await client.CreateAsync(NewConnector("c", "git"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stale.Outcome, Is.EqualTo(KubeOutcome.Conflict));
            Assert.That(stale.Message, Is.Not.Empty);
            Assert.That(again.Outcome, Is.EqualTo(KubeOutcome.Conflict));
            Assert.That(again.Reason, Is.EqualTo("AlreadyExists"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task StatusAsync_UpdateAndPatchStatus_ChangeOnlyStatus(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var connector = (await client.CreateAsync(NewConnector("c", "git"), cancellationToken)).Value!;
        connector.Status = new ConnectorStatus { Conditions = [new Condition { Type = "Ready", Status = "True" }] };
        var updated = await client.UpdateStatusAsync(connector, cancellationToken);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "a" } } };
        var patched = await client.PatchAsync<Connector>("default", "c", patch, status: false, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updated.Value?.Status?.Conditions?.Single().Type, Is.EqualTo("Ready"));
            Assert.That(updated.Value?.Metadata.Generation, Is.EqualTo(1));
            Assert.That(patched.Value?.Metadata.Labels?["team"], Is.EqualTo("a"));
            Assert.That(patched.Value?.Status?.Conditions, Has.Count.EqualTo(1));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ListAsync_LabelSelector_ReturnsMatchingItemsAndResourceVersion(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        foreach (var (name, team) in new[] { ("a", "x"), ("b", "y"), ("c", "x") })
        {
            var connector = NewConnector(name, "git");
            connector.Metadata.Labels = new() { ["team"] = team };
            await client.CreateAsync(connector, cancellationToken);
        }

        var list = await client.ListAsync<Connector>("default", new ListOptions { LabelSelector = "team=x" }, cancellationToken);
        var all = await client.ListAsync<Connector>(null, null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Value?.Items.Select(c => c.Metadata.Name), Is.EquivalentTo((string[])["a", "c"]));
            Assert.That(list.Value?.Metadata.ResourceVersion, Is.Not.Empty);
            Assert.That(all.Value?.Items, Has.Count.EqualTo(3));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task WatchAsync_FromListVersion_StreamsChangesInOrder(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var list = await client.ListAsync<Connector>("default", null, cancellationToken);
        var events = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = Task.Run(
            async () =>
            {
                await foreach (var change in client.WatchAsync<Connector>("default", list.Value!.Metadata.ResourceVersion!, null, stop.Token))
                {
                    if (change.Type != "BOOKMARK")
                    {
                        events.Add($"{change.Type} {change.Object?.Metadata.Name}");
                    }

                    if (events.Count == 3)
                    {
                        return;
                    }
                }
            },
            cancellationToken);
        var created = (await client.CreateAsync(NewConnector("w", "git"), cancellationToken)).Value!;
        created.Spec.Address = "https://changed.example";
        await client.UpdateAsync(created, cancellationToken);
        await client.DeleteAsync<Connector>("default", "w", cancellationToken);
        await watching.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(events, Is.EqualTo((string[])["ADDED w", "MODIFIED w", "DELETED w"]));
    }

    [Test, CancelAfter(20_000)]
    public async Task WatchAsync_OtherKindsChange_BookmarkCarriesTheNewerVersion(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken, o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        using var client = EmbeddedKube.Admin(api);
        var version = (await client.ListAsync<Connector>("default", null, cancellationToken)).Value!.Metadata.ResourceVersion!;
        var secret = await client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "s", Namespace = "default" } }, cancellationToken);
        var secretVersion = long.Parse(secret.Value!.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);
        string? bookmark = null;
        await foreach (var change in client.WatchAsync<Connector>("default", version, null, cancellationToken))
        {
            if (change.Type == "BOOKMARK" && long.Parse(change.Object!.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) >= secretVersion)
            {
                bookmark = change.Object.Metadata.ResourceVersion;
                break;
            }
        }

        Assert.That(bookmark, Is.Not.Null);
    }

    [Test, CancelAfter(20_000)]
    public async Task WatchAsync_CompactedVersion_ThrowsGone(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var version = (await client.ListAsync<Connector>("default", null, cancellationToken)).Value!.Metadata.ResourceVersion!;
        await client.CreateAsync(NewConnector("a", "git"), cancellationToken);
        api.Server.CompactHistory();
        var error = await Assert.ThrowsAsync<KubeException>(async () =>
        {
            await foreach (var change in client.WatchAsync<Connector>("default", version, null, cancellationToken))
            {
                _ = change;
            }
        });
        Assert.That(error?.Outcome, Is.EqualTo(KubeOutcome.Gone));
    }

    [Test, CancelAfter(20_000)]
    public async Task ReviewTokenAsync_ServiceAccountToken_IdentifiesTheServiceAccount(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var issued = await client.RequestTokenAsync("default", "default", new TokenRequest { Spec = new TokenRequestSpec { Audiences = ["connectors"], ExpirationSeconds = 600 } }, cancellationToken);
        var token = issued.Value!.Status!.Token!;
        var review = await client.ReviewTokenAsync(token, ["connectors"], cancellationToken);
        var wrongAudience = await client.ReviewTokenAsync(token, ["someone-else"], cancellationToken);
        var garbage = await client.ReviewTokenAsync("not-a-token", [], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.Value.Status.ExpirationTimestamp, Is.GreaterThan(DateTimeOffset.UtcNow));
            Assert.That(review.Value?.Status?.Authenticated, Is.True);
            Assert.That(review.Value?.Status?.User?.Username, Is.EqualTo("system:serviceaccount:default:default"));
            Assert.That(wrongAudience.Value?.Status?.Authenticated, Is.Not.True);
            Assert.That(garbage.Value?.Status?.Authenticated, Is.Not.True);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ReviewAccessAsync_RoleBinding_AllowsOnlyTheBoundServiceAccount(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        await client.CreateAsync(new ServiceAccount { Metadata = new ObjectMeta { Name = "builder", Namespace = "default" } }, cancellationToken);
        await client.CreateAsync(new Role { Metadata = new ObjectMeta { Name = "use-connectors", Namespace = "default" }, Rules = [new PolicyRule { ApiGroups = [ApiGroups.Connectors], Resources = ["connectors"], Verbs = ["get"] }] }, cancellationToken);
        var binding = new RoleBinding
        {
            Metadata = new ObjectMeta { Name = "builder-uses-connectors", Namespace = "default" },
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "use-connectors" },
            Subjects = [new RbacSubject { Kind = "ServiceAccount", Name = "builder", Namespace = "default" }],
        };
        var bound = await client.CreateAsync(binding, cancellationToken);
        var allowed = await client.ReviewAccessAsync(Review("system:serviceaccount:default:builder"), cancellationToken);
        var denied = await client.ReviewAccessAsync(Review("system:serviceaccount:default:default"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bound.IsOk, Is.True, bound.Message);
            Assert.That(allowed.Value?.Status?.Allowed, Is.True);
            Assert.That(denied.Value?.Status?.Allowed, Is.False);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task GetAsync_ServiceAccountWithoutRbac_IsForbidden(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var dir = new TempDirectory();
        var token = await api.CreateTokenAsync("default", "default", cancellationToken);
        using var client = EmbeddedKube.WithToken(api, token, dir);
        using var bad = EmbeddedKube.WithToken(api, "bad-token", dir);
        var forbidden = await client.GetAsync<Secret>("kube-system", "x", cancellationToken);
        var unauthorized = await bad.GetAsync<Secret>("kube-system", "x", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(forbidden.Outcome, Is.EqualTo(KubeOutcome.Forbidden));
            Assert.That(unauthorized.Outcome, Is.EqualTo(KubeOutcome.Unauthorized));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task CreateAsync_EveryKindInTheResourceTable_RoundTripsThroughItsUrl(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var meta = (string name) => new ObjectMeta { Name = name, Namespace = "default" };
        var results = new Dictionary<string, bool>
        {
            ["event"] = (await client.CreateAsync(new Event { Metadata = meta("e1"), Reason = "Probed", Message = "ok", Type = "Normal", InvolvedObject = new ObjectReference { Kind = "Connector", Name = "c", Namespace = "default" } }, cancellationToken)).IsOk,
            ["configmap"] = (await client.CreateAsync(new ConfigMap { Metadata = meta("cm") }, cancellationToken)).IsOk,
            ["service"] = (await client.CreateAsync(new Service { Metadata = meta("c-git"), Spec = new ServiceSpec { Ports = [new ServicePort { Port = 80 }] } }, cancellationToken)).IsOk,
            ["serviceaccount"] = (await client.CreateAsync(new ServiceAccount { Metadata = meta("sa") }, cancellationToken)).IsOk,
            ["secret"] = (await client.CreateAsync(new Secret { Metadata = meta("s"), StringData = new() { ["password"] = "p" } }, cancellationToken)).IsOk,
            ["lease"] = (await client.CreateAsync(new Lease { Metadata = meta("l"), Spec = new LeaseSpec { HolderIdentity = "me" } }, cancellationToken)).IsOk,
            ["connectorclass"] = (await client.CreateAsync(new ConnectorClass { Metadata = new ObjectMeta { Name = "git" } }, cancellationToken)).IsOk,
            ["clusterrole"] = (await client.CreateAsync(new ClusterRole { Metadata = new ObjectMeta { Name = "reader" }, Rules = [] }, cancellationToken)).IsOk,
            ["namespace"] = (await client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "team-a" } }, cancellationToken)).IsOk,
        };
        var secret = await client.GetAsync<Secret>("default", "s", cancellationToken);
        var events = await client.ListAsync<Event>("default", null, cancellationToken);
        var classes = await client.ListAsync<ConnectorClass>(null, null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Where(r => !r.Value).Select(r => r.Key), Is.Empty);
            Assert.That(secret.Value?.Data?["password"], Is.EqualTo("p"u8.ToArray()));
            Assert.That(events.Value?.Items.Single().Reason, Is.EqualTo("Probed"));
            Assert.That(classes.Value?.Items.Single().Metadata.Name, Is.EqualTo("git"));
            Assert.That(() => client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "x" } }, cancellationToken), Throws.ArgumentException);
        }
    }

    internal static Connector NewConnector(string name, string className, string ns = "default", string? secret = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ConnectorSpec
        {
            Address = "https://git.example.com",
            ConnectorClassName = className,
            Auth = secret is null ? null : new ConnectorAuth { Name = "basicAuth", SecretRef = new ObjectReference { Name = secret } },
        },
    };

    private static SubjectAccessReview Review(string user) => new()
    {
        Spec = new SubjectAccessReviewSpec
        {
            User = user,
            Groups = ["system:serviceaccounts", "system:serviceaccounts:default"],
            ResourceAttributes = new ResourceAttributes { Namespace = "default", Verb = "get", Group = ApiGroups.Connectors, Resource = "connectors", Name = "git-1" },
        },
    };
}
