namespace Connectors.Modules.Embedded;

/// <summary>An authenticated caller: the admin, or a ServiceAccount (with the pod its token is bound to, if any).</summary>
internal sealed record ApiUser(string Name, string Uid, IReadOnlyList<string> Groups)
{
    public const string MastersGroup = "system:masters";
    public const string AuthenticatedGroup = "system:authenticated";

    public IReadOnlyDictionary<string, string[]> Extra { get; init; } = new Dictionary<string, string[]>();

    public static ApiUser Admin { get; } = new("kubernetes-admin", "", [MastersGroup, AuthenticatedGroup]);

    public static ApiUser ServiceAccount(string ns, string name, string uid) =>
        new($"system:serviceaccount:{ns}:{name}", uid, ["system:serviceaccounts", "system:serviceaccounts:" + ns, AuthenticatedGroup]);
}
