using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Host.Cli;
using Connectors.Modules.Model;

namespace Connectors.Host.Embedded;

/// <summary>
/// <c>--apply PATH</c>: create-or-update of every manifest over HTTP, like <c>kubectl apply -f</c>. Files are
/// taken as given, folders walked recursively in ordinal name order (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>;
/// not <c>kustomization.yaml</c>),
/// documents in file order, <c>kind: List</c> expanded. The first failure stops start-up with one line naming the
/// file and the document.
/// </summary>
internal sealed class ManifestApplier(HttpClient client)
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private readonly Dictionary<string, JsonArray?> _discovery = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _applied = [];

    /// <summary>The objects <see cref="ApplyAsync"/> applied, in order.</summary>
    public IReadOnlyList<JsonObject> Applied => _applied;

    /// <summary>Applies every document under <paramref name="paths"/>; returns how many objects were applied.</summary>
    /// <exception cref="StartupException">A path is missing, a document is invalid, or the API refused it.</exception>
    public async Task<int> ApplyAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var file in paths.SelectMany(Files))
        {
            IReadOnlyList<JsonNode> documents;
            try
            {
                documents = KubeYaml.LoadDocuments(await File.ReadAllTextAsync(file, cancellationToken));
            }
            catch (FormatException e)
            {
                throw new StartupException($"--apply {file}: {e.Message}", e);
            }

            for (var i = 0; i < documents.Count; i++)
            {
                foreach (var obj in Expand(documents[i], file, i + 1))
                {
                    await ApplyOneAsync(obj, $"{file}: document {i + 1}", cancellationToken);
                    _applied.Add(obj);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Creates <paramref name="obj"/> or replaces the stored one (keeping what the server owns, such as status).</summary>
    public async Task ApplyOneAsync(JsonObject obj, string where, CancellationToken cancellationToken)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? "";
        var kind = (string?)obj["kind"] ?? "";
        var name = (string?)obj["metadata"]?["name"] ?? "";
        if (apiVersion.Length == 0 || kind.Length == 0 || name.Length == 0)
        {
            throw new StartupException($"--apply {where}: want apiVersion, kind and metadata.name");
        }

        var (plural, namespaced) = await ResolveAsync(apiVersion, kind, cancellationToken)
            ?? throw new StartupException($"--apply {where}: the embedded API does not serve {kind} in {apiVersion}");
        var ns = namespaced ? (string?)obj["metadata"]?["namespace"] ?? "default" : null;
        var collection = (apiVersion.Contains('/', StringComparison.Ordinal) ? "apis/" : "api/") + apiVersion
            + (ns is null ? "" : "/namespaces/" + Uri.EscapeDataString(ns)) + "/" + plural;
        var item = $"{collection}/{Uri.EscapeDataString(name)}";
        using (var current = await client.GetAsync(item, cancellationToken))
        {
            if (current.StatusCode == HttpStatusCode.NotFound)
            {
                await SendAsync(HttpMethod.Post, collection, obj, $"{where} ({kind} {name})", cancellationToken);
                return;
            }

            var stored = JsonNode.Parse(await Check(current, $"{where} ({kind} {name})", cancellationToken));
            var desired = (JsonObject)obj.DeepClone();
            if (desired["metadata"] is JsonObject metadata)
            {
                metadata["resourceVersion"] = stored?["metadata"]?["resourceVersion"]?.DeepClone();
            }

            await SendAsync(HttpMethod.Put, item, desired, $"{where} ({kind} {name})", cancellationToken);
        }
    }

    /// <summary>The plural and scope of <paramref name="kind"/>, from the server's discovery (as kubectl finds them).</summary>
    private async Task<(string Plural, bool Namespaced)?> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        if (!_discovery.TryGetValue(apiVersion, out var resources))
        {
            using var response = await client.GetAsync((apiVersion.Contains('/', StringComparison.Ordinal) ? "apis/" : "api/") + apiVersion, cancellationToken);
            resources = response.IsSuccessStatusCode
                ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["resources"] as JsonArray
                : null;
            _discovery[apiVersion] = resources;
        }

        var resource = resources?.FirstOrDefault(r => (string?)r?["kind"] == kind && (string?)r?["name"] is { } n && !n.Contains('/', StringComparison.Ordinal));
        return resource is null ? null : ((string)resource["name"]!, (bool?)resource["namespaced"] ?? false);
    }

    private async Task SendAsync(HttpMethod method, string path, JsonObject body, string where, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await client.SendAsync(request, cancellationToken);
        await Check(response, where, cancellationToken);
    }

    private static async Task<string> Check(HttpResponseMessage response, string where, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string? message = null;
            try
            {
                message = (string?)JsonNode.Parse(text)?["message"];
            }
            catch (System.Text.Json.JsonException)
            {
            }

            throw new StartupException($"--apply {where}: {message ?? $"HTTP {(int)response.StatusCode}"}");
        }

        return text;
    }

    private static IEnumerable<JsonObject> Expand(JsonNode document, string file, int index)
    {
        if (document is not JsonObject obj)
        {
            throw new StartupException($"--apply {file}: document {index}: not a mapping");
        }

        if ((string?)obj["kind"] is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            return items.Select(i => i as JsonObject ?? throw new StartupException($"--apply {file}: document {index}: a List item is not a mapping"))
                .Select(i => (JsonObject)i.DeepClone());
        }

        return [obj];
    }

    private static IEnumerable<string> Files(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new StartupException($"--apply {path}: no such file or directory");
        }

        // As `kubectl apply -f DIR -R`: every manifest below, except a kustomization.yaml (it configures kustomize) and
        // the files its configMap/secret generators read (a dashboard's JSON is data, not an object).
        var kustomization = Extensions.Select(e => Path.Combine(path, "kustomization" + e)).FirstOrDefault(File.Exists);
        var skipped = kustomization is null ? [] : GeneratorInputs(path, kustomization);
        if (kustomization is not null)
        {
            skipped.Add(Path.GetFullPath(kustomization));
        }

        return Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal).SelectMany(entry =>
            Directory.Exists(entry) ? Files(entry)
            : Extensions.Contains(Path.GetExtension(entry), StringComparer.OrdinalIgnoreCase) && !skipped.Contains(Path.GetFullPath(entry)) ? [entry]
            : []);
    }

    private static HashSet<string> GeneratorInputs(string directory, string kustomization)
    {
        JsonNode? document;
        try
        {
            document = KubeYaml.LoadDocuments(File.ReadAllText(kustomization)) is [var first, ..] ? first : null;
        }
        catch (FormatException e)
        {
            throw new StartupException($"--apply {kustomization}: {e.Message}", e);
        }

        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var generator in new[] { "configMapGenerator", "secretGenerator" })
        {
            foreach (var file in (document?[generator] as JsonArray ?? []).SelectMany(g => g?["files"] as JsonArray ?? []).Select(f => (string?)f))
            {
                // "key=path" names the key; the file is the path.
                if (file is { Length: > 0 })
                {
                    inputs.Add(Path.GetFullPath(Path.Combine(directory, file[(file.IndexOf('=', StringComparison.Ordinal) + 1)..])));
                }
            }
        }

        return inputs;
    }
}
