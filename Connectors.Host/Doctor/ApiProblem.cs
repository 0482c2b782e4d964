using Connectors.Modules.Kube;

namespace Connectors.Host.Doctor;

/// <summary>Why an API call the doctor made failed, in the user's terms, with what to do about it.</summary>
internal static class ApiProblem
{
    /// <param name="client">The client, for the server URL and the credentials' source.</param>
    /// <param name="what">What was asked, e.g. <c>read connector quickstart/git</c>.</param>
    /// <param name="outcome">How the call ended.</param>
    /// <param name="message">The API's message.</param>
    /// <param name="permission">The permission the doctor's own credentials need for the call, e.g. <c>get connectors</c>.</param>
    public static string Describe(KubeClient client, string what, KubeOutcome outcome, string? message, string permission) => outcome switch
    {
        KubeOutcome.Forbidden => $"cannot {what}: {message}; the credentials of {client.Source} need {permission}",
        KubeOutcome.Unauthorized => $"cannot {what}: the API at {client.Server} rejected the credentials of {client.Source}: {message}",
        KubeOutcome.Transient => $"cannot {what}: the API at {client.Server} did not answer ({message}); check --kubeconfig/--context and that the cluster is reachable",
        _ => $"cannot {what}: {message}",
    };
}
