namespace Connectors.Modules.Templates;

/// <summary>
/// Splits Go template text into tokens, following text/template/parse's lexer: <c>{{</c>/<c>}}</c> delimiters,
/// <c>{{- </c> and <c> -}}</c> trim markers, comments, and the tokens inside actions.
/// </summary>
internal sealed partial class TemplateLexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private readonly string _input;
    private readonly List<TemplateToken> _tokens = [];
    private int _pos;
    private int _start;
    private int _parenDepth;

    private TemplateLexer(string input) => _input = input;

    public static List<TemplateToken> Lex(string input)
    {
        var lexer = new TemplateLexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (true)
        {
            if (!LexText())
            {
                return;
            }

            if (!LexAfterLeftDelim())
            {
                return;
            }
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == '-';

    private bool StartsWith(int at, string s) => at <= _input.Length && string.CompareOrdinal(_input, at, s, 0, s.Length) == 0 && at + s.Length <= _input.Length;

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new TemplateToken(kind, _input[_start.._pos], _start));
        _start = _pos;
    }

    private void Ignore() => _start = _pos;

    private void Error(string message)
    {
        _tokens.Add(new TemplateToken(TokenKind.Error, message, _start));
    }

    /// <summary>Text up to the next left delimiter; false at the end of input.</summary>
    private bool LexText()
    {
        var x = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            _pos = _input.Length;
            if (_pos > _start)
            {
                Emit(TokenKind.Text);
            }

            _tokens.Add(new TemplateToken(TokenKind.Eof, "", _pos));
            return false;
        }

        if (x > _pos || x > _start)
        {
            _pos = x;
            var end = _pos;
            if (HasLeftTrimMarker(x + LeftDelim.Length))
            {
                while (end > _start && IsSpace(_input[end - 1]))
                {
                    end--;
                }
            }

            if (end > _start)
            {
                var text = _input[_start..end];
                _tokens.Add(new TemplateToken(TokenKind.Text, text, _start));
            }

            _start = _pos;
        }

        return true;
    }

    private bool LexAfterLeftDelim()
    {
        _pos += LeftDelim.Length;
        var trim = HasLeftTrimMarker(_pos);
        var afterMarker = trim ? 2 : 0;
        if (StartsWith(_pos + afterMarker, "/*"))
        {
            _pos += afterMarker;
            Ignore();
            return LexComment();
        }

        Emit(TokenKind.LeftDelim);
        _pos += afterMarker;
        Ignore();
        _parenDepth = 0;
        return LexInsideAction();
    }

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(_pos) && StartsWith(_pos + 2, RightDelim))
        {
            return (true, true);
        }

        return (StartsWith(_pos, RightDelim), false);
    }

    private bool LexComment()
    {
        _pos += 2;
        var x = _input.IndexOf("*/", _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            Error("unclosed comment");
            return false;
        }

        _pos = x + 2;
        var (delim, trim) = AtRightDelim();
        if (!delim)
        {
            Error("comment ends before closing delimiter");
            return false;
        }

        if (trim)
        {
            _pos += 2;
        }

        _pos += RightDelim.Length;
        if (trim)
        {
            while (_pos < _input.Length && IsSpace(_input[_pos]))
            {
                _pos++;
            }
        }

        Ignore();
        return true;
    }

    private void LexRightDelim(bool trim)
    {
        if (trim)
        {
            _pos += 2;
            Ignore();
        }

        _pos += RightDelim.Length;
        Emit(TokenKind.RightDelim);
        if (trim)
        {
            while (_pos < _input.Length && IsSpace(_input[_pos]))
            {
                _pos++;
            }

            Ignore();
        }
    }

    private bool LexInsideAction()
    {
        while (true)
        {
            var (delim, trim) = AtRightDelim();
            if (delim)
            {
                if (_parenDepth == 0)
                {
                    LexRightDelim(trim);
                    return true;
                }

                Error("unclosed left paren");
                return false;
            }

            if (_pos >= _input.Length)
            {
                Error("unclosed action");
                return false;
            }

            var r = _input[_pos++];
            switch (r)
            {
                case var _ when IsSpace(r):
                    _pos--;
                    if (LexSpace())
                    {
                        return true;
                    }

                    break;
                case '=':
                    Emit(TokenKind.Assign);
                    break;
                case ':':
                    if (_pos >= _input.Length || _input[_pos++] != '=')
                    {
                        Error("expected :=");
                        return false;
                    }

                    Emit(TokenKind.Declare);
                    break;
                case '|':
                    Emit(TokenKind.Pipe);
                    break;
                case '"':
                    if (!LexQuote('"', "unterminated quoted string", TokenKind.String))
                    {
                        return false;
                    }

                    break;
                case '`':
                    if (!LexRawQuote())
                    {
                        return false;
                    }

                    break;
                case '\'':
                    if (!LexQuote('\'', "unterminated character constant", TokenKind.CharConstant))
                    {
                        return false;
                    }

                    break;
                case '$':
                    if (!LexFieldOrVariable(TokenKind.Variable))
                    {
                        return false;
                    }

                    break;
                case '.' when _pos >= _input.Length || _input[_pos] < '0' || _input[_pos] > '9':
                    if (!LexFieldOrVariable(TokenKind.Field))
                    {
                        return false;
                    }

                    break;
                case '.' or '+' or '-' or (>= '0' and <= '9'):
                    _pos--;
                    if (!LexNumber())
                    {
                        return false;
                    }

                    break;
                case '(':
                    Emit(TokenKind.LeftParen);
                    _parenDepth++;
                    break;
                case ')':
                    Emit(TokenKind.RightParen);
                    _parenDepth--;
                    if (_parenDepth < 0)
                    {
                        Error("unexpected right paren U+0029 ')'");
                        return false;
                    }

                    break;
                case var _ when IsAlphaNumeric(r):
                    _pos--;
                    if (!LexIdentifier())
                    {
                        return false;
                    }

                    break;
                case var _ when r < 0x80 && !char.IsControl(r):
                    Emit(TokenKind.Char);
                    break;
                default:
                    Error($"unrecognized character in action: {GoQuote.UnicodeFormat(r)}");
                    return false;
            }
        }
    }

}
