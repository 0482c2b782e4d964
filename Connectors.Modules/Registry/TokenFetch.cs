namespace Connectors.Modules.Registry;

/// <summary>
/// The answer of a token service: a token, or why there is none. <see cref="StatusCode"/> is the service's status when
/// it answered (401 means it refused the credential); the message never holds a credential or a token.
/// </summary>
internal readonly record struct TokenFetch(RegistryToken? Token, int? StatusCode, string? Error)
{
    public bool Succeeded => Token is not null;

    public static TokenFetch Failed(int? statusCode, string error) => new(null, statusCode, error);
}
