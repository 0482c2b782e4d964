using System.Security.Cryptography;
using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Modules.Registry;

/// <summary>
/// A registry account: the username and password of the Connector's Secret (<c>cpaas.io/distribution-registry-token</c>
/// or <c>kubernetes.io/basic-auth</c>). Never printed: <see cref="ToString"/> names the user only, and caches key on
/// <see cref="Fingerprint"/>.
/// </summary>
internal sealed class RegistryCredential
{
    public RegistryCredential(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        Username = username;
        Password = password;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(username + "\0" + password), digest);
        Fingerprint = Convert.ToHexString(digest);
    }

    public string Username { get; }

    public string Password { get; }

    /// <summary>SHA-256 of user and password, hex: the only form in which a cache keeps the credential.</summary>
    public string Fingerprint { get; }

    /// <summary>The RFC 7617 <c>Authorization</c> value, <c>Basic base64(user:password)</c>.</summary>
    public string BasicAuthorization => "Basic " + BasicCredentials.Encode(Username, Password);

    /// <summary>The user only; the password is never printed.</summary>
    public override string ToString() => Username;
}
