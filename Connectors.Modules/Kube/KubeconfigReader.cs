using System.Text;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Kube;

/// <summary>Typed reads from a kubeconfig's JSON tree, with errors that name the file and the field.</summary>
internal sealed class KubeconfigReader(string path)
{
    private readonly string _directory = Path.GetDirectoryName(path) ?? ".";

    public string? String(JsonObject node, string field) => node[field] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => throw new KubeConfigException($"malformed kubeconfig {path}: \"{field}\" must be a string"),
    };

    public bool Bool(JsonObject node, string field) => node[field] switch
    {
        null => false,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed) => parsed,
        _ => throw new KubeConfigException($"malformed kubeconfig {path}: \"{field}\" must be true or false"),
    };

    /// <summary>The <paramref name="inner"/> object of the entry called <paramref name="name"/> in the list <paramref name="list"/>.</summary>
    public JsonObject? Named(JsonObject root, string list, string inner, string name)
    {
        if (root[list] is null)
        {
            return null;
        }

        if (root[list] is not JsonArray entries)
        {
            throw new KubeConfigException($"malformed kubeconfig {path}: \"{list}\" must be a list");
        }

        foreach (var entry in entries)
        {
            if (entry is JsonObject item && String(item, "name") == name)
            {
                return item[inner] as JsonObject ?? new JsonObject();
            }
        }

        return null;
    }

    /// <summary>PEM text from a base64 <c>*-data</c> field, or from the file a path field names.</summary>
    public string? Pem(JsonObject node, string dataField, string fileField, string source)
    {
        if (String(node, dataField) is { Length: > 0 } data)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException)
            {
                throw new KubeConfigException($"{source}: {dataField} is not valid base64");
            }
        }

        if (String(node, fileField) is not { Length: > 0 } file)
        {
            return null;
        }

        var full = Resolve(file);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{source}: cannot read {fileField} {full}: {e.Message}", e);
        }
    }

    public string Resolve(string file) => Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(_directory, file));

    public ExecConfig Exec(JsonObject exec, string source)
    {
        var apiVersion = String(exec, "apiVersion");
        if (apiVersion is not ("client.authentication.k8s.io/v1" or "client.authentication.k8s.io/v1beta1"))
        {
            throw new KubeConfigException($"{source}: exec apiVersion \"{apiVersion}\" is not supported: want client.authentication.k8s.io/v1");
        }

        var command = String(exec, "command");
        if (string.IsNullOrEmpty(command))
        {
            throw new KubeConfigException($"{source}: exec has no command");
        }

        var args = exec["args"] is JsonArray list ? list.Select(a => a is JsonValue v && v.TryGetValue<string>(out var text) ? text : a?.ToJsonString() ?? string.Empty).ToList() : [];
        var env = new List<KeyValuePair<string, string>>();
        if (exec["env"] is JsonArray variables)
        {
            foreach (var variable in variables.OfType<JsonObject>())
            {
                env.Add(new(String(variable, "name") ?? throw new KubeConfigException($"{source}: exec env entry without name"), String(variable, "value") ?? string.Empty));
            }
        }

        return new ExecConfig
        {
            ApiVersion = apiVersion,
            Command = command,
            Args = args,
            Env = env,
            InteractiveMode = String(exec, "interactiveMode") ?? "IfAvailable",
            InstallHint = String(exec, "installHint"),
            ProvideClusterInfo = Bool(exec, "provideClusterInfo"),
            BaseDirectory = _directory,
            Source = source,
        };
    }
}
