namespace Connectors.Modules.Templates;

// Sprig's url and path functions (url.go, path and filepath).
internal static partial class SprigFunctions
{
    private static void RegisterUrlsAndPaths(FunctionTable t)
    {
        Add(t, "urlParse", [S], null, a => UrlParse(Str(a[0])));
        Add(t, "urlJoin", [M], null, a => UrlJoin(a[0] as GoMap));
        foreach (var prefix in new[] { string.Empty, "os" })
        {
            Add(t, prefix.Length == 0 ? "base" : "osBase", [S], null, a => GoPath.Base(Str(a[0])));
            Add(t, prefix.Length == 0 ? "dir" : "osDir", [S], null, a => GoPath.Dir(Str(a[0])));
            Add(t, prefix.Length == 0 ? "clean" : "osClean", [S], null, a => GoPath.Clean(Str(a[0])));
            Add(t, prefix.Length == 0 ? "ext" : "osExt", [S], null, a => GoPath.Ext(Str(a[0])));
            Add(t, prefix.Length == 0 ? "isAbs" : "osIsAbs", [S], null, a => GoPath.IsAbs(Str(a[0])));
        }
    }

    private static GoMap UrlParse(string v)
    {
        GoUrl u;
        try
        {
            u = GoUrl.Parse(v);
        }
        catch (FunctionCallException e)
        {
            throw new FunctionCallException("unable to parse url: " + e.Message);
        }

        var dict = new GoMap();
        dict.Set("scheme", u.Scheme);
        dict.Set("host", u.Host);
        dict.Set("hostname", u.Hostname);
        dict.Set("path", u.Path);
        dict.Set("query", u.RawQuery);
        dict.Set("opaque", u.Opaque);
        dict.Set("fragment", u.Fragment);
        dict.Set("userinfo", u.UserInfoString);
        return dict;
    }

    private static string UrlJoin(GoMap? d)
    {
        string Get(string key) => d is not null && d.Entries.TryGetValue(key, out var v) && v is string s ? s : string.Empty;
        var url = new GoUrl
        {
            Scheme = Get("scheme"),
            Host = Get("host"),
            Path = Get("path"),
            RawQuery = Get("query"),
            Opaque = Get("opaque"),
            Fragment = Get("fragment"),
        };
        var userinfo = Get("userinfo");
        if (userinfo.Length > 0)
        {
            try
            {
                var temp = GoUrl.Parse($"proto://{userinfo}@host");
                url.User = temp.User;
                url.Password = temp.Password;
            }
            catch (FunctionCallException e)
            {
                throw new FunctionCallException("unable to parse userinfo in dict: " + e.Message);
            }
        }

        return url.ToString();
    }
}
