using System.Text.Json.Nodes;
using Connectors.Modules.Csi;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;
using Connectors.Tests.Support;

namespace Connectors.Tests.Manifests;

/// <summary>A shipped class's configuration rendered as the CSI driver renders it (<see cref="TemplateData"/>, the Go engine).</summary>
internal static class ClassRendering
{
    public const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dGVhbTpidWlsZGVyIn0.c2ln";
    public const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    public static ConnectorClass Class(string name) => KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", name + ".yaml"));

    /// <summary>A mounted Connector of <paramref name="className"/> with its proxy address and <c>spec.params</c>.</summary>
    public static MountedConnector Connector(string className, string ns, string name, string proxy, string address, params (string Name, string Value)[] parameters) =>
        new(new ConnectorRef(ns, name), new Connector
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new ConnectorSpec
            {
                ConnectorClassName = className,
                Address = address,
                Params = parameters.Length == 0 ? null : [.. parameters.Select(p => new NamedValue { Name = p.Name, Value = JsonValue.Create(p.Value) })],
            },
        }, Class(className), proxy);

    /// <summary>Every file of <paramref name="configuration"/> (from the first Connector's class), rendered for all of <paramref name="mounted"/>.</summary>
    public static Dictionary<string, string> Render(string configuration, params MountedConnector[] mounted)
    {
        var spec = mounted[0].Class.Spec.Configurations!.Single(c => c.Name == configuration);
        var data = TemplateValue.FromJson(TemplateData.Build(mounted[0], mounted, Token, CaPem, []));
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, text) in spec.Data!)
        {
            var result = new TemplateEngine().Render(file, text, data, RenderOptions.Default, CancellationToken.None);
            Assert.That(result.Error, Is.Null, file);
            files[file] = result.Output!;
        }

        return files;
    }
}
