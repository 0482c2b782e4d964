using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Tests.Model;

[TestFixture]
public sealed class EffectiveSpecTests
{
    private static ConnectorClass Class() => new()
    {
        Metadata = new ObjectMeta { Name = "github" },
        Spec = new ConnectorClassSpec
        {
            AddressExtensions = [new ParamSpec { Name = "api", Default = JsonValue.Create("https://api.github.com") }, new ParamSpec { Name = "uploads" }],
            Params = [new ParamSpec { Name = "sslVerify", Default = JsonValue.Create("true") }, new ParamSpec { Name = "useAsMirror", Default = JsonValue.Create(false) }],
            Auth = new ConnectorClassAuth
            {
                Types = [new AuthType { Name = "basicAuth", Params = [new ParamSpec { Name = "realm", Default = JsonValue.Create("tools") }] }],
            },
            AuthProbes = [new AuthProbe { AuthName = "basicAuth", Params = [new ParamSpec { Name = "repository", Default = JsonValue.Create("org/repo.git") }] }],
        },
    };

    private static Connector Connector(ConnectorSpec spec) => new() { Metadata = new ObjectMeta { Namespace = "team", Name = "gh" }, Spec = spec };

    private static Dictionary<string, string?> Values(List<NamedValue>? values) => (values ?? []).ToDictionary(v => v.Name, v => v.StringValue);

    [Test]
    public void Apply_OmittedValues_TakeTheClassDefaults()
    {
        var connector = Connector(new ConnectorSpec { Address = "https://github.com", Auth = new ConnectorAuth { Name = "basicAuth" } });

        var effective = EffectiveSpec.Apply(connector, Class());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Values(effective.Spec.AddressExtensions), Is.EqualTo(new Dictionary<string, string?> { ["api"] = "https://api.github.com" }));
            Assert.That(Values(effective.Spec.Params), Is.EqualTo(new Dictionary<string, string?> { ["sslVerify"] = "true", ["useAsMirror"] = "false" }));
            Assert.That(Values(effective.Spec.Auth!.Params), Is.EqualTo(new Dictionary<string, string?> { ["realm"] = "tools", ["repository"] = "org/repo.git" }));
            Assert.That(effective.Spec.Address, Is.EqualTo("https://github.com"));
            Assert.That(effective.Metadata, Is.SameAs(connector.Metadata));
            Assert.That(connector.Spec.AddressExtensions, Is.Null, "the stored Connector is never changed");
            Assert.That(connector.Spec.Auth!.Params, Is.Null);
        }
    }

    [Test]
    public void Apply_GivenValues_WinOverDefaultsAndNullCountsAsOmitted()
    {
        var connector = Connector(new ConnectorSpec
        {
            AddressExtensions = [new NamedValue { Name = "api", Value = JsonValue.Create("https://ghe.example.com/api/v3") }],
            Params = [new NamedValue { Name = "sslVerify", Value = JsonValue.Create("false") }, new NamedValue { Name = "useAsMirror", Value = null }],
            Auth = new ConnectorAuth { Name = "basicAuth", Params = [new NamedValue { Name = "repository", Value = JsonValue.Create("a/b.git") }] },
        });

        var effective = EffectiveSpec.Apply(connector, Class());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Values(effective.Spec.AddressExtensions), Is.EqualTo(new Dictionary<string, string?> { ["api"] = "https://ghe.example.com/api/v3" }));
            Assert.That(Values(effective.Spec.Params), Is.EqualTo(new Dictionary<string, string?> { ["sslVerify"] = "false", ["useAsMirror"] = "false" }));
            Assert.That(Values(effective.Spec.Auth!.Params), Is.EqualTo(new Dictionary<string, string?> { ["repository"] = "a/b.git", ["realm"] = "tools" }));
        }
    }

    [Test]
    public void Apply_OtherAuthTypeOrNoAuth_AddsNoAuthParams()
    {
        var other = EffectiveSpec.Apply(Connector(new ConnectorSpec { Auth = new ConnectorAuth { Name = "patAuth" } }), Class());
        var none = EffectiveSpec.Apply(Connector(new ConnectorSpec()), Class());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(other.Spec.Auth!.Params, Is.Null);
            Assert.That(none.Spec.Auth, Is.Null);
        }
    }

    [Test]
    public void Apply_NothingMissing_ReturnsTheSameObject()
    {
        var connectorClass = new ConnectorClass { Spec = new ConnectorClassSpec { Params = [new ParamSpec { Name = "x" }] } };
        var connector = Connector(new ConnectorSpec { Address = "https://a" });
        Assert.That(EffectiveSpec.Apply(connector, connectorClass), Is.SameAs(connector));
    }

    [Test]
    public void Of_SameObjects_CachedAndANewClassObjectRecomputes()
    {
        var connector = Connector(new ConnectorSpec());
        var first = Class();
        var second = Class();
        second.Spec.AddressExtensions![0].Default = JsonValue.Create("https://api.example.com");

        var a = EffectiveSpec.Of(connector, first);
        var b = EffectiveSpec.Of(connector, first);
        var c = EffectiveSpec.Of(connector, second);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(b, Is.SameAs(a));
            Assert.That(c.Spec.AddressExtensions![0].StringValue, Is.EqualTo("https://api.example.com"));
            Assert.That(EffectiveSpec.Of(connector, null), Is.SameAs(connector));
        }
    }

    [Test]
    public void Apply_DefaultNode_IsACopyNotTheClassNode()
    {
        var connectorClass = Class();
        var effective = EffectiveSpec.Apply(Connector(new ConnectorSpec()), connectorClass);
        Assert.That(effective.Spec.AddressExtensions![0].Value, Is.Not.SameAs(connectorClass.Spec.AddressExtensions![0].Default));
    }
}
