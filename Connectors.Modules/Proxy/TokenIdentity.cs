using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>Who a token belongs to, from TokenReview; <see cref="User"/> is null when the token was not authenticated.</summary>
internal sealed record TokenIdentity(UserInfo? User, string? Error, bool Unavailable)
{
    public bool IsAuthenticated => User is not null;
}
