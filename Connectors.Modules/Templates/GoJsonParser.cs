using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// encoding/json's Unmarshal into interface{} without exceptions on bad input (sprig's fromJson swallows
/// errors, so a failing parse must be cheap): objects become map[string]interface {} (last duplicate wins),
/// arrays []interface {}, numbers float64. Errors use Go's wording.
/// </summary>
internal ref struct GoJsonParser
{
    private readonly ReadOnlySpan<char> _s;
    private int _i;
    private string? _error;

    private GoJsonParser(ReadOnlySpan<char> s)
    {
        _s = s;
        _i = 0;
        _error = null;
    }

    public static bool TryParse(string text, out object? value, out string? error)
    {
        var p = new GoJsonParser(text);
        p.SkipSpace();
        value = p.ParseValue(0);
        if (p._error is null)
        {
            p.SkipSpace();
            if (p._i < p._s.Length)
            {
                p.Fail($"invalid character {Quote(p._s[p._i])} after top-level value");
            }
        }

        error = p._error;
        if (error is not null)
        {
            value = null;
        }

        return error is null;
    }

    private static string Quote(char c) => c switch
    {
        '\'' => "'\\''",
        '"' => "'\"'",
        _ when c < ' ' => "'" + GoQuote.Quote(c.ToString())[1..^1] + "'",
        _ => "'" + c + "'",
    };

    private object? Fail(string message)
    {
        _error ??= message;
        return null;
    }

    private void SkipSpace()
    {
        while (_i < _s.Length && _s[_i] is ' ' or '\t' or '\n' or '\r')
        {
            _i++;
        }
    }

    private object? ParseValue(int depth)
    {
        if (_i >= _s.Length)
        {
            return Fail("unexpected end of JSON input");
        }

        if (depth > 10000 || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return Fail("exceeded max depth");
        }

        var c = _s[_i];
        switch (c)
        {
            case '{': return ParseObject(depth);
            case '[': return ParseArray(depth);
            case '"': return ParseString();
            case 't': return Literal("true", true);
            case 'f': return Literal("false", false);
            case 'n': return Literal("null", null);
            case '-' or (>= '0' and <= '9'): return ParseNumber();
            default: return Fail($"invalid character {Quote(c)} looking for beginning of value");
        }
    }

    private object? Literal(string word, object? value)
    {
        for (var k = 0; k < word.Length; k++)
        {
            if (_i + k >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            if (_s[_i + k] != word[k])
            {
                return Fail($"invalid character {Quote(_s[_i + k])} in literal {word} (expecting {Quote(word[k])})");
            }
        }

        _i += word.Length;
        return value;
    }

    private object? ParseNumber()
    {
        var start = _i;
        if (_s[_i] == '-')
        {
            _i++;
        }

        if (_i >= _s.Length)
        {
            return Fail("unexpected end of JSON input");
        }

        if (_s[_i] == '0')
        {
            _i++;
        }
        else if (_s[_i] is >= '1' and <= '9')
        {
            while (_i < _s.Length && char.IsAsciiDigit(_s[_i]))
            {
                _i++;
            }
        }
        else
        {
            return Fail($"invalid character {Quote(_s[_i])} in numeric literal");
        }

        if (_i < _s.Length && _s[_i] == '.')
        {
            _i++;
            if (_i >= _s.Length || !char.IsAsciiDigit(_s[_i]))
            {
                return _i >= _s.Length ? Fail("unexpected end of JSON input") : Fail($"invalid character {Quote(_s[_i])} after decimal point in numeric literal");
            }

            while (_i < _s.Length && char.IsAsciiDigit(_s[_i]))
            {
                _i++;
            }
        }

        if (_i < _s.Length && _s[_i] is 'e' or 'E')
        {
            _i++;
            if (_i < _s.Length && _s[_i] is '+' or '-')
            {
                _i++;
            }

            if (_i >= _s.Length || !char.IsAsciiDigit(_s[_i]))
            {
                return _i >= _s.Length ? Fail("unexpected end of JSON input") : Fail($"invalid character {Quote(_s[_i])} in exponent of numeric literal");
            }

            while (_i < _s.Length && char.IsAsciiDigit(_s[_i]))
            {
                _i++;
            }
        }

        var text = _s[start.._i];
        var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsInfinity(d) ? Fail($"json: cannot unmarshal number {text} into Go value of type float64") : d;
    }

    private object? ParseString()
    {
        _i++;
        StringBuilder? sb = null;
        var start = _i;
        while (true)
        {
            if (_i >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            var c = _s[_i];
            if (c == '"')
            {
                var result = sb is null ? _s[start.._i].ToString() : sb.Append(_s[start.._i]).ToString();
                _i++;
                return result;
            }

            if (c < ' ')
            {
                return Fail($"invalid character {Quote(c)} in string literal");
            }

            if (c != '\\')
            {
                _i++;
                continue;
            }

            sb ??= new StringBuilder();
            sb.Append(_s[start.._i]);
            if (_i + 1 >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            var e = _s[_i + 1];
            _i += 2;
            switch (e)
            {
                case '"' or '\\' or '/': sb.Append(e); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_i + 4 > _s.Length || !int.TryParse(_s.Slice(_i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        return Fail("invalid character in \\u hexadecimal character escape");
                    }

                    _i += 4;
                    sb.Append((char)code);
                    break;
                default:
                    return Fail($"invalid character {Quote(e)} in string escape code");
            }

            start = _i;
        }
    }

    private object? ParseArray(int depth)
    {
        _i++;
        var items = new List<object?>();
        SkipSpace();
        if (_i < _s.Length && _s[_i] == ']')
        {
            _i++;
            return new GoList([]);
        }

        while (true)
        {
            SkipSpace();
            items.Add(ParseValue(depth + 1));
            if (_error is not null)
            {
                return null;
            }

            SkipSpace();
            if (_i >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            if (_s[_i] == ',')
            {
                _i++;
                continue;
            }

            if (_s[_i] == ']')
            {
                _i++;
                return new GoList([.. items]);
            }

            return Fail($"invalid character {Quote(_s[_i])} after array element");
        }
    }

    private object? ParseObject(int depth)
    {
        _i++;
        var map = new GoMap();
        SkipSpace();
        if (_i < _s.Length && _s[_i] == '}')
        {
            _i++;
            return map;
        }

        while (true)
        {
            SkipSpace();
            if (_i >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            if (_s[_i] != '"')
            {
                return Fail($"invalid character {Quote(_s[_i])} looking for beginning of object key string");
            }

            var key = (string?)ParseString();
            SkipSpace();
            if (_error is not null)
            {
                return null;
            }

            if (_i >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            if (_s[_i] != ':')
            {
                return Fail($"invalid character {Quote(_s[_i])} after object key");
            }

            _i++;
            SkipSpace();
            var value = ParseValue(depth + 1);
            if (_error is not null)
            {
                return null;
            }

            map.Set(key!, value);
            SkipSpace();
            if (_i >= _s.Length)
            {
                return Fail("unexpected end of JSON input");
            }

            if (_s[_i] == ',')
            {
                _i++;
                continue;
            }

            if (_s[_i] == '}')
            {
                _i++;
                return map;
            }

            return Fail($"invalid character {Quote(_s[_i])} after object key:value pair");
        }
    }
}
