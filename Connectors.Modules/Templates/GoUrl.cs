using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>The parts of net/url's URL that sprig's urlParse and urlJoin use, with url.Parse's rules and errors.</summary>
internal sealed partial class GoUrl
{
    public string Scheme { get; set; } = string.Empty;

    public string Opaque { get; set; } = string.Empty;

    public string? User { get; set; }

    public string? Password { get; set; }

    public string Host { get; set; } = string.Empty;

    public string Path { get; set; } = string.Empty;

    public string RawPath { get; set; } = string.Empty;

    public string RawQuery { get; set; } = string.Empty;

    public string Fragment { get; set; } = string.Empty;

    public bool ForceQuery { get; set; }

    public string Hostname
    {
        get
        {
            var host = Host;
            var colon = host.LastIndexOf(':');
            if (colon >= 0 && ValidOptionalPort(host[colon..]))
            {
                host = host[..colon];
            }

            return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        }
    }

    public string UserInfoString => User is null ? string.Empty
        : Escape(User, Mode.UserPassword) + (Password is null ? string.Empty : ":" + Escape(Password, Mode.UserPassword));

    internal enum Mode
    {
        Path,
        PathSegment,
        Host,
        Zone,
        UserPassword,
        QueryComponent,
        Fragment,
    }

    /// <summary>url.Parse; throws <see cref="FunctionCallException"/> with Go's message.</summary>
    public static GoUrl Parse(string raw)
    {
        var hash = raw.IndexOf('#', StringComparison.Ordinal);
        var u = hash < 0 ? raw : raw[..hash];
        var url = ParseNoFragment(u, raw);
        if (hash >= 0)
        {
            url.Fragment = Unescape(raw[(hash + 1)..], Mode.Fragment, raw);
        }

        return url;
    }

    private static FunctionCallException Error(string raw, string message) =>
        new($"parse {GoQuote.Quote(raw)}: {message}");

    private static GoUrl ParseNoFragment(string raw, string whole)
    {
        if (raw.Any(c => c < ' ' || c == 0x7f))
        {
            throw Error(raw, "net/url: invalid control character in URL");
        }

        var url = new GoUrl();
        if (raw == "*")
        {
            url.Path = "*";
            return url;
        }

        var (scheme, rest) = GetScheme(raw);
        url.Scheme = scheme.ToLowerInvariant();
        if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1)
        {
            url.ForceQuery = true;
            rest = rest[..^1];
        }
        else
        {
            var q = rest.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                url.RawQuery = rest[(q + 1)..];
                rest = rest[..q];
            }
        }

        if (!rest.StartsWith('/'))
        {
            if (url.Scheme.Length > 0)
            {
                url.Opaque = rest;
                return url;
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.Contains(':', StringComparison.Ordinal))
            {
                throw Error(raw, "first path segment in URL cannot contain colon");
            }
        }

        if ((url.Scheme.Length > 0 || !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            rest = string.Empty;
            var i = authority.IndexOf('/', StringComparison.Ordinal);
            if (i >= 0)
            {
                rest = authority[i..];
                authority = authority[..i];
            }

            ParseAuthority(url, authority, raw);
        }

        url.Path = Unescape(rest, Mode.Path, raw);
        url.RawPath = Escape(url.Path, Mode.Path) == rest ? string.Empty : rest;
        _ = whole;
        return url;
    }

    private static (string Scheme, string Remainder) GetScheme(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }

            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0)
                {
                    return (string.Empty, raw);
                }

                continue;
            }

            if (c == ':')
            {
                if (i == 0)
                {
                    throw Error(raw, "missing protocol scheme");
                }

                return (raw[..i], raw[(i + 1)..]);
            }

            return (string.Empty, raw);
        }

        return (string.Empty, raw);
    }

    private static void ParseAuthority(GoUrl url, string authority, string raw)
    {
        var at = authority.LastIndexOf('@');
        url.Host = ParseHost(at < 0 ? authority : authority[(at + 1)..], raw);
        if (at < 0)
        {
            return;
        }

        var userinfo = authority[..at];
        if (userinfo.Any(c => !(char.IsAsciiLetterOrDigit(c) || "-._:~!$&'()*+,;=%@".Contains(c, StringComparison.Ordinal))))
        {
            throw Error(raw, "net/url: invalid userinfo");
        }

        var colon = userinfo.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            url.User = Unescape(userinfo, Mode.UserPassword, raw);
        }
        else
        {
            url.User = Unescape(userinfo[..colon], Mode.UserPassword, raw);
            url.Password = Unescape(userinfo[(colon + 1)..], Mode.UserPassword, raw);
        }
    }

    private static string ParseHost(string host, string raw)
    {
        if (host.StartsWith('['))
        {
            var i = host.LastIndexOf(']');
            if (i < 0)
            {
                throw Error(raw, "missing ']' in host");
            }

            if (!ValidOptionalPort(host[(i + 1)..]))
            {
                throw Error(raw, $"invalid port {GoQuote.Quote(host[(i + 1)..])} after host");
            }
        }
        else
        {
            var i = host.LastIndexOf(':');
            if (i >= 0 && !ValidOptionalPort(host[i..]))
            {
                throw Error(raw, $"invalid port {GoQuote.Quote(host[i..])} after host");
            }
        }

        return Unescape(host, Mode.Host, raw);
    }

    private static bool ValidOptionalPort(string port) =>
        port.Length == 0 || (port[0] == ':' && port[1..].All(char.IsAsciiDigit));

    /// <summary>URL.String() (Go 1.19).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Scheme.Length > 0)
        {
            sb.Append(Scheme).Append(':');
        }

        if (Opaque.Length > 0)
        {
            sb.Append(Opaque);
        }
        else
        {
            if (Scheme.Length > 0 || Host.Length > 0 || User is not null)
            {
                if (Host.Length > 0 || Path.Length > 0 || User is not null)
                {
                    sb.Append("//");
                }

                if (User is not null)
                {
                    sb.Append(UserInfoString).Append('@');
                }

                if (Host.Length > 0)
                {
                    sb.Append(Escape(Host, Mode.Host));
                }
            }

            var path = RawPath.Length > 0 ? RawPath : Escape(Path, Mode.Path);
            if (path.Length > 0 && path[0] != '/' && Host.Length > 0)
            {
                sb.Append('/');
            }

            if (sb.Length == 0)
            {
                var slash = path.IndexOf('/', StringComparison.Ordinal);
                if ((slash < 0 ? path : path[..slash]).Contains(':', StringComparison.Ordinal))
                {
                    sb.Append("./");
                }
            }

            sb.Append(path);
        }

        if (ForceQuery || RawQuery.Length > 0)
        {
            sb.Append('?').Append(RawQuery);
        }

        if (Fragment.Length > 0)
        {
            sb.Append('#').Append(Escape(Fragment, Mode.Fragment));
        }

        return sb.ToString();
    }
}
