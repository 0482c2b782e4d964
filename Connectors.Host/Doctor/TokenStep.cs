using Connectors.Modules.Csi;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 4: a token for the ServiceAccount, requested as the CSI driver requests it (the API server's audience and
/// the Connector's proxy URL), passes a TokenReview with the audiences the proxy reviews with. The token itself is
/// never shown, only its length.
/// </summary>
internal static class TokenStep
{
    /// <summary>The shortest lifetime the Kubernetes API grants (10 minutes).</summary>
    private const long LifetimeSeconds = 600;

    public static async Task<(StepResult Result, string? Token)> CheckAsync(KubeClient client, DoctorRequest request, Connector connector, CancellationToken cancellationToken)
    {
        var subject = $"token for serviceaccount {request.Namespace}/{request.ServiceAccount}";
        var proxyAddress = connector.Status?.Proxy?.HttpAddress?.Url;
        var audiences = new List<string> { new CsiOptions().ApiAudience };
        if (!string.IsNullOrEmpty(proxyAddress) && !audiences.Contains(proxyAddress))
        {
            audiences.Add(proxyAddress);
        }

        var tokenRequest = new TokenRequest { Spec = new TokenRequestSpec { Audiences = audiences, ExpirationSeconds = LifetimeSeconds } };
        var issued = await client.RequestTokenAsync(request.Namespace, request.ServiceAccount, tokenRequest, cancellationToken);
        if (issued.Outcome == KubeOutcome.NotFound)
        {
            return (StepResult.Fail(subject, $"serviceaccount not found; create it with `kubectl create serviceaccount {request.ServiceAccount} -n {request.Namespace}` or check --service-account"), null);
        }

        if (issued.Value?.Status?.Token is not { Length: > 0 } token)
        {
            return (StepResult.Fail(subject, ApiProblem.Describe(client, "request one", issued.Outcome, issued.Message ?? "the API returned no token", "create on serviceaccounts/token")), null);
        }

        var reviewAudiences = AccessReviewer.ConnectorAudiences(request.Namespace, request.Connector, connector.Status);
        var shown = $"<{token.Length} bytes>";
        var review = await client.ReviewTokenAsync(token, reviewAudiences, cancellationToken);
        if (!review.IsOk)
        {
            return (StepResult.Fail(subject, ApiProblem.Describe(client, $"review {shown}", review.Outcome, review.Message, "create on tokenreviews.authentication.k8s.io")), token);
        }

        var status = review.Value!.Status;
        var audienceList = string.Join(", ", reviewAudiences);
        if (status is not { Authenticated: true, User.Username: { } user })
        {
            return (StepResult.Fail(subject, $"{shown} does not pass a TokenReview with the proxy's audiences ({audienceList}): {status?.Error ?? "not authenticated"}; "
                + "the API server must accept ServiceAccount tokens with these audiences (its --api-audiences and --service-account-issuer)"), token);
        }

        return user == request.UserName
            ? (StepResult.Ok(subject, $"{shown} passes a TokenReview with the proxy's audiences ({audienceList}) as {user}"), token)
            : (StepResult.Fail(subject, $"{shown} is reviewed as {user}, not {request.UserName}; the API server's authentication is not the one the proxy expects"), token);
    }
}
