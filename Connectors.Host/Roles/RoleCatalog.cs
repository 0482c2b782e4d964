namespace Connectors.Host.Roles;

/// <summary>The roles <c>connectors run --role</c> knows, and how a role list is read.</summary>
internal static class RoleCatalog
{
    public static readonly IReadOnlyList<IRole> All = [new ControllerRole(), new ProxyRole(), new CsiNodeRole()];

    public static string Names => string.Join("|", All.Select(r => r.Name)) + "|all";

    /// <summary>Reads repeated and comma-separated role names; <c>all</c> means every role.</summary>
    /// <returns>The roles in catalogue order, or an error naming the unknown role.</returns>
    public static (IReadOnlyList<IRole> Roles, string? Error) Resolve(IEnumerable<string> values)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var raw in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = raw.ToLowerInvariant();
                if (name == "all")
                {
                    wanted.UnionWith(All.Select(r => r.Name));
                }
                else if (All.Any(r => r.Name == name))
                {
                    wanted.Add(name);
                }
                else
                {
                    return ([], $"unknown role \"{raw}\": want {Names}");
                }
            }
        }

        return wanted.Count == 0
            ? ([], $"--role is required: want {Names}")
            : ([.. All.Where(r => wanted.Contains(r.Name))], null);
    }
}
