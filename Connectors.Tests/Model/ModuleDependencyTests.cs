using System.Text.RegularExpressions;

namespace Connectors.Tests.Model;

/// <summary>
/// The module dependency table of the design card, checked on the source: a module's files may only name the
/// namespaces of the modules it may depend on (plus Observability, the listener/readiness/logging infrastructure
/// every module uses: docs/decisions.md, "Module dependencies").
/// </summary>
[TestFixture]
public sealed partial class ModuleDependencyTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Model"] = [],
        ["Kube"] = ["Model"],
        ["Templates"] = [],
        ["Probes"] = ["Model", "Templates", "Registry"],
        ["Controller"] = ["Model", "Kube", "Probes"],
        ["Credentials"] = ["Model"],
        ["Proxy"] = ["Model", "Kube", "Credentials", "Registry"],
        ["Registry"] = ["Model"],
        ["Csi"] = ["Model", "Kube", "Templates"],
        ["Embedded"] = ["Model"],
        ["Admission"] = ["Model", "Kube", "Controller"],
        ["Observability"] = [],
    };

    [Test]
    public void Modules_Sources_NameOnlyAllowedModules()
    {
        var root = Path.Combine(RepositoryRoot(), "Connectors.Modules");
        var violations = new List<string>();
        foreach (var (module, allowed) in Allowed)
        {
            var permitted = new HashSet<string>(allowed, StringComparer.Ordinal) { module };
            if (module != "Observability")
            {
                permitted.Add("Observability");
            }

            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, module), "*.cs", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                foreach (var match in ModuleReference().Matches(text).Concat(RelativeModuleReference().Matches(text)))
                {
                    var used = match.Groups[1].Value;
                    if (Allowed.ContainsKey(used) && !permitted.Contains(used))
                    {
                        violations.Add($"{module} -> {used} ({Path.GetRelativePath(root, file)})");
                    }
                }
            }
        }

        Assert.That(violations.Distinct(), Is.Empty);
    }

    [Test]
    public void Modules_EveryFolder_IsInTheTable()
    {
        var folders = Directory.EnumerateDirectories(Path.Combine(RepositoryRoot(), "Connectors.Modules"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties"));
        Assert.That(folders, Is.SubsetOf(Allowed.Keys));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Connectors.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Connectors.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bConnectors\.Modules\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex ModuleReference();

    // Inside namespace Connectors.Modules.X a sibling module can be named relatively: Model.CaBundle.
    [GeneratedRegex(@"(?<![\w.])(Model|Kube|Templates|Probes|Controller|Credentials|Proxy|Csi|Embedded|Observability)\.[A-Z]\w*")]
    private static partial Regex RelativeModuleReference();
}
