using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>
/// The native replacement of a class's Rego generator: sets each <c>generator.headers</c> entry, its value
/// rendered over the Secret, on requests under <c>generator.pathPrefix</c> (all requests when empty).
/// </summary>
internal static class GeneratorInjector
{
    public static InjectionResult Inject(HttpRequestMessage request, Secret secret, AuthType authType, AuthGenerator generator, IHeaderTemplateRenderer renderer)
    {
        if (!string.IsNullOrEmpty(generator.PathPrefix)
            && !(request.RequestUri?.AbsolutePath ?? "/").StartsWith(generator.PathPrefix, StringComparison.Ordinal))
        {
            return InjectionResult.NoCredential;
        }

        var data = Decode(secret);
        var values = new List<(string Name, string Value)>(generator.Headers!.Count);
        foreach (var header in generator.Headers!)
        {
            var value = renderer.Render($"{authType.Name}.generator.{header.Name}", header.Value, data, out var error);
            if (value is null)
            {
                // The message reaches the client (a 502 body): no Secret value may survive in it.
                var safe = data.Values.Where(v => v.Length > 0).Aggregate(error ?? string.Empty, (text, value) => text.Replace(value, "[redacted]", StringComparison.Ordinal));
                return new(InjectionOutcome.InvalidSecret, $"auth type \"{authType.Name}\" header {header.Name}: {safe}");
            }

            if (HeaderValue.BreaksHeader(value))
            {
                return new(InjectionOutcome.InvalidSecret, $"auth type \"{authType.Name}\" header {header.Name}: the rendered value holds a line break or NUL, which cannot go in a header");
            }

            values.Add((header.Name, value));
        }

        foreach (var (name, value) in values)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return InjectionResult.Injected;
    }

    private static Dictionary<string, string> Decode(Secret secret)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in (secret.Data?.Keys ?? Enumerable.Empty<string>()).Concat(secret.StringData?.Keys ?? Enumerable.Empty<string>()))
        {
            data[key] = SecretData.Read(secret, key) ?? string.Empty;
        }

        return data;
    }
}
