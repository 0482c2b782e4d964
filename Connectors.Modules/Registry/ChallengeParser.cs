namespace Connectors.Modules.Registry;

/// <summary>
/// The RFC 9110 11.6.1 grammar of one <c>WWW-Authenticate</c> field value: comma-separated challenges, each a scheme
/// token followed by a token68 or a list of <c>name=token</c> / <c>name="quoted string"</c> parameters. A comma
/// either separates parameters or starts the next challenge: a scheme is a token not followed by <c>=</c>. A token68
/// (<c>Negotiate abc</c>) reads as a challenge of its own, which the registry flow (Bearer, Basic) never picks.
/// </summary>
internal static class ChallengeParser
{
    public static void Parse(string? value, List<AuthChallenge> into)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        var position = 0;
        string? scheme = null;
        Dictionary<string, string>? parameters = null;
        while (true)
        {
            SkipSeparators(value, ref position);
            if (position >= value.Length)
            {
                break;
            }

            var token = ReadToken(value, ref position);
            if (token.Length == 0)
            {
                // Not a token character: skip to the next comma.
                var comma = value.IndexOf(',', position);
                position = comma < 0 ? value.Length : comma + 1;
                continue;
            }

            SkipSpaces(value, ref position);
            if (position < value.Length && value[position] == '=' && scheme is not null)
            {
                position++;
                SkipSpaces(value, ref position);
                parameters![token.ToLowerInvariant()] = ReadValue(value, ref position);
                continue;
            }

            if (scheme is not null)
            {
                into.Add(new AuthChallenge(scheme, parameters!));
            }

            scheme = token;
            parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (scheme is not null)
        {
            into.Add(new AuthChallenge(scheme, parameters!));
        }
    }

    private static string ReadValue(string value, ref int position)
    {
        if (position < value.Length && value[position] == '"')
        {
            position++;
            var builder = new System.Text.StringBuilder();
            while (position < value.Length && value[position] != '"')
            {
                if (value[position] == '\\' && position + 1 < value.Length)
                {
                    position++;
                }

                builder.Append(value[position++]);
            }

            position = Math.Min(position + 1, value.Length);
            return builder.ToString();
        }

        var start = position;
        while (position < value.Length && value[position] != ',' && !char.IsWhiteSpace(value[position]))
        {
            position++;
        }

        return value[start..position];
    }

    private static string ReadToken(string value, ref int position)
    {
        var start = position;
        while (position < value.Length && IsTokenChar(value[position]))
        {
            position++;
        }

        return value[start..position];
    }

    private static void SkipSpaces(string value, ref int position)
    {
        while (position < value.Length && value[position] is ' ' or '\t')
        {
            position++;
        }
    }

    private static void SkipSeparators(string value, ref int position)
    {
        while (position < value.Length && value[position] is ' ' or '\t' or ',')
        {
            position++;
        }
    }

    // RFC 9110 5.6.2 tchar.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
