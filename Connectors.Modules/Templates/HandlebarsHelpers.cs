using System.Text;
using HandlebarsDotNet;

namespace Connectors.Modules.Templates;

/// <summary>The Handlebars environment: no HTML escaping (configuration files are not HTML) and the helpers.</summary>
internal static class HandlebarsHelpers
{
    public static IHandlebars CreateEnvironment()
    {
        var configuration = new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false };
        configuration.FormatterProviders.Add(new HandlebarsBoolFormatter());
        var hbs = Handlebars.Create(configuration);
        Register(hbs, "b64enc", a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(a, 0))));
        Register(hbs, "b64dec", a => Encoding.UTF8.GetString(Convert.FromBase64String(Text(a, 0))));
        Register(hbs, "urlquery", a => GoEscapes.QueryEscape(string.Concat(a.Select(x => Text([x], 0)))));
        Register(hbs, "trimPrefix", a => Text(a, 1).StartsWith(Text(a, 0), StringComparison.Ordinal) ? Text(a, 1)[Text(a, 0).Length..] : Text(a, 1));
        Register(hbs, "trimSuffix", a => Text(a, 1).EndsWith(Text(a, 0), StringComparison.Ordinal) ? Text(a, 1)[..^Text(a, 0).Length] : Text(a, 1));
        Register(hbs, "lower", a => Text(a, 0).ToLowerInvariant());
        Register(hbs, "upper", a => Text(a, 0).ToUpperInvariant());
        Register(hbs, "trim", a => Text(a, 0).Trim());
        Register(hbs, "replace", a => Text(a, 2).Replace(Text(a, 0), Text(a, 1), StringComparison.Ordinal));
        Register(hbs, "quote", a => GoQuote.Quote(Text(a, 0)));
        Register(hbs, "default", a => a.Length > 1 && a[1] is not null && !string.IsNullOrEmpty(Text(a, 1)) ? a[1] : a.Length > 0 ? a[0] : string.Empty);
        Register(hbs, "join", a => string.Join(Text(a, 0), (a.Length > 1 ? a[1] as IEnumerable<object?> : null)?.Select(x => Text([x], 0)) ?? []));
        Register(hbs, "printf", a => GoFormatter.Sprintf(Text(a, 0), [.. a.Skip(1).Select(FromPlain)]));
        Register(hbs, "urlParse", a => ToPlain(SprigUrl(Text(a, 0))));
        Register(hbs, "eq", a => a.Length > 1 && Equals(Text(a, 0), Text(a, 1)));
        return hbs;
    }

    private static GoMap SprigUrl(string url)
    {
        var u = GoUrl.Parse(url);
        var d = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["scheme"] = u.Scheme,
            ["host"] = u.Host,
            ["hostname"] = u.Hostname,
            ["path"] = u.Path,
            ["query"] = u.RawQuery,
            ["opaque"] = u.Opaque,
            ["fragment"] = u.Fragment,
            ["userinfo"] = u.UserInfoString,
        };
        return new GoMap(d);
    }

    private static void Register(IHandlebars hbs, string name, Func<object?[], object?> body) =>
        hbs.RegisterHelper(name, (in HelperOptions _, in Context _, in Arguments args) => body([.. args.Select(a => a is UndefinedBindingResult ? null : a)]));

    private static string Text(object?[] args, int i) => i < args.Length ? args[i] switch
    {
        null => string.Empty,
        string s => s,
        double d => GoFloat.Format(d, 'g', -1),
        bool b => b ? "true" : "false",
        _ => args[i]!.ToString() ?? string.Empty,
    } : string.Empty;

    private static object? FromPlain(object? v) => v switch
    {
        int i => (long)i,
        _ => v,
    };

    /// <summary>Go values to what Handlebars.Net binds: dictionaries, arrays, strings, numbers as Go prints them.</summary>
    public static object? ToPlain(object? v)
    {
        // Data a Go template changed with sprig's set may hold itself ({{ set . "a" . }}): end in an error, not a crash.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        return v switch
        {
            GoMap m => m.Entries.ToDictionary(e => e.Key, e => ToPlain(e.Value), StringComparer.Ordinal),
            GoList l => l.Items.Select(ToPlain).ToArray(),
            GoStruct s => s.Fields.ToDictionary(f => f.Name, f => ToPlain(f.Value), StringComparer.Ordinal),
            double d => GoFloat.Format(d, 'g', -1),
            GoNil or GoTypedNil => null,
            null => new Dictionary<string, object?>(),
            _ => v,
        };
    }
}
