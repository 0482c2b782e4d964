using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Tests.Support;

/// <summary>Secrets of the types the proxy injects.</summary>
internal static class Secrets
{
    public static Secret Of(string name, string type, params (string Key, string Value)[] data) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Type = type,
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };

    public static Secret Basic(string name, string user, string password) => Of(name, SecretTypes.BasicAuth, ("username", user), ("password", password));

    public static Secret Bearer(string name, string token) => Of(name, SecretTypes.BearerToken, ("token", token));
}
