using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;

namespace Connectors.Modules.Probes;

/// <summary>
/// Turns a class's probe declaration into a <see cref="ProbeRequest"/> for one Connector: <c>path</c> and header
/// values are Go templates over the probe data view (<c>.Connector</c> Go-struct-shaped, <c>.Secret</c> with
/// <c>.StringData</c> decoded, nil without a Secret), the URL follows the path prefix rule of §2.3.
/// </summary>
internal sealed class ProbeBuilder(ITemplateRenderer renderer)
{
    /// <summary>The request of an HTTP probe, or why it cannot be built (a template or URL error).</summary>
    public (ProbeRequest? Request, string? Error) Build(HttpProbeSpec spec, Connector connector, Secret? secret)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(connector);
        var method = string.IsNullOrEmpty(spec.Method) ? "GET" : spec.Method.ToUpperInvariant();
        if (method is not ("GET" or "POST"))
        {
            return (null, $"http.method \"{spec.Method}\" is not GET or POST");
        }

        var data = DataView(connector, secret);
        var (path, pathError) = Render("http.path", spec.Path, data);
        if (pathError is not null)
        {
            return (null, pathError);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in spec.HttpHeaders ?? [])
        {
            var (value, error) = Render($"http.httpHeaders[{header.Name}]", header.Value, data);
            if (error is not null)
            {
                return (null, error);
            }

            if (HeaderValue.BreaksHeader(value!))
            {
                // Sent without validation, a line break would add header lines (or a request) of the Secret's choosing.
                return (null, $"http.httpHeaders[{header.Name}] renders a value with a line break or NUL, which cannot go in a header");
            }

            headers.Add(new(ProbeUrl.CanonicalHeaderName(header.Name), value!));
        }

        var (url, urlError) = ProbeUrl.Compose(connector.Spec.Address, spec.Host, spec.Scheme, path!);
        return url is null ? (null, urlError) : (new ProbeRequest(method, url, headers, spec.DisableRedirect != true), null);
    }

    /// <summary>The request of an API probe: <c>api.path</c> appended to the class's resolved API URL, keeping its prefix.</summary>
    public (ProbeRequest? Request, string? Error) BuildApi(ApiProbeSpec spec, string? apiUrl, Connector connector, Secret? secret)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(apiUrl))
        {
            return (null, "the connectorclass has no resolved API address (status.api.address.url)");
        }

        var (path, error) = Render("api.path", spec.Path ?? string.Empty, DataView(connector, secret));
        if (error is not null)
        {
            return (null, error);
        }

        var text = apiUrl.TrimEnd('/') + "/" + path!.TrimStart('/');
        return Uri.TryCreate(text, UriKind.Absolute, out var url)
            ? (new ProbeRequest("GET", url, [], true), null)
            : (null, $"API probe URL \"{text}\" is not valid");
    }

    /// <summary>The template data of a probe: the Connector as JSON and the Secret's data decoded to strings.</summary>
    public static TemplateValue DataView(Connector connector, Secret? secret)
    {
        Dictionary<string, string>? stringData = null;
        if (secret is not null)
        {
            stringData = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in secret.Data ?? [])
            {
                stringData[key] = Encoding.UTF8.GetString(value);
            }

            foreach (var (key, value) in secret.StringData ?? [])
            {
                stringData[key] = value;
            }
        }

        return TemplateValue.ForProbe(ModelJson.ToNode(connector), stringData);
    }

    private (string? Text, string? Error) Render(string field, string template, TemplateValue data)
    {
        if (!template.Contains("{{", StringComparison.Ordinal))
        {
            return (template, null);
        }

        var result = renderer.Render(field, template, data, RenderOptions.Default, CancellationToken.None);
        return result.Succeeded ? (result.Output, null) : (null, result.Error);
    }
}
