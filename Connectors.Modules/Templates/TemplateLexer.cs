namespace Connectors.Modules.Templates;

/// <summary>
/// Splits Go template text into tokens, following text/template/parse's lexer: <c>{{</c>/<c>}}</c> delimiters,
/// <c>{{- </c> and <c> -}}</c> trim markers, comments, and the tokens inside actions.
/// </summary>
internal sealed class TemplateLexer
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

    /// <summary>Spaces; returns true when they ended in a " -}}" that closed the action.</summary>
    private bool LexSpace()
    {
        var numSpaces = 0;
        while (_pos < _input.Length && IsSpace(_input[_pos]))
        {
            _pos++;
            numSpaces++;
        }

        if (HasRightTrimMarker(_pos - 1) && StartsWith(_pos - 1 + 2, RightDelim))
        {
            _pos--;
            if (numSpaces == 1)
            {
                if (_parenDepth != 0)
                {
                    Error("unclosed left paren");
                    _tokens.Add(new TemplateToken(TokenKind.Eof, "", _pos));
                    return true;
                }

                LexRightDelim(true);
                return true;
            }
        }

        Emit(TokenKind.Space);
        return false;
    }

    private bool AtTerminator()
    {
        if (_pos >= _input.Length)
        {
            return true;
        }

        var r = _input[_pos];
        return IsSpace(r) || r is '.' or ',' or '|' or ':' or ')' or '(' || StartsWith(_pos, RightDelim);
    }

    private bool LexIdentifier()
    {
        while (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            Error($"bad character {GoQuote.UnicodeFormat(_input[_pos])}");
            return false;
        }

        var word = _input[_start.._pos];
        Emit(word switch
        {
            "block" => TokenKind.Block,
            "break" => TokenKind.Break,
            "continue" => TokenKind.Continue,
            "define" => TokenKind.Define,
            "else" => TokenKind.Else,
            "end" => TokenKind.End,
            "if" => TokenKind.If,
            "range" => TokenKind.Range,
            "nil" => TokenKind.Nil,
            "template" => TokenKind.Template,
            "with" => TokenKind.With,
            "true" or "false" => TokenKind.Bool,
            _ => TokenKind.Identifier,
        });
        return true;
    }

    private bool LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return true;
        }

        while (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            Error($"bad character {GoQuote.UnicodeFormat(_input[_pos])}");
            return false;
        }

        Emit(kind);
        return true;
    }

    private bool LexNumber()
    {
        if (_pos < _input.Length && _input[_pos] is '+' or '-')
        {
            _pos++;
        }

        var digits = "0123456789_";
        if (_pos + 1 < _input.Length && _input[_pos] == '0')
        {
            var p = char.ToLowerInvariant(_input[_pos + 1]);
            if (p is 'x' or 'o' or 'b')
            {
                _pos += 2;
                digits = p switch { 'x' => "0123456789abcdefABCDEF_", 'o' => "01234567_", _ => "01_" };
            }
        }

        Accept(digits);
        if (_pos < _input.Length && _input[_pos] == '.')
        {
            _pos++;
            Accept(digits);
        }

        if (digits.Length == 11 && _pos < _input.Length && _input[_pos] is 'e' or 'E')
        {
            _pos++;
            if (_pos < _input.Length && _input[_pos] is '+' or '-')
            {
                _pos++;
            }

            Accept("0123456789_");
        }

        if (digits.Length == 23 && _pos < _input.Length && _input[_pos] is 'p' or 'P')
        {
            _pos++;
            if (_pos < _input.Length && _input[_pos] is '+' or '-')
            {
                _pos++;
            }

            Accept("0123456789_");
        }

        if (_pos < _input.Length && _input[_pos] == 'i')
        {
            _pos++;
        }

        if (_pos < _input.Length && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
            Error($"bad number syntax: {GoQuote.Quote(_input[_start.._pos])}");
            return false;
        }

        Emit(TokenKind.Number);
        return true;
    }

    private void Accept(string valid)
    {
        while (_pos < _input.Length && valid.Contains(_input[_pos], StringComparison.Ordinal))
        {
            _pos++;
        }
    }

    private bool LexQuote(char quote, string unterminated, TokenKind kind)
    {
        while (true)
        {
            if (_pos >= _input.Length || _input[_pos] == '\n')
            {
                Error(unterminated);
                return false;
            }

            var c = _input[_pos++];
            if (c == '\\')
            {
                if (_pos >= _input.Length || _input[_pos] == '\n')
                {
                    Error(unterminated);
                    return false;
                }

                _pos++;
            }
            else if (c == quote)
            {
                break;
            }
        }

        Emit(kind);
        return true;
    }

    private bool LexRawQuote()
    {
        var x = _input.IndexOf('`', _pos);
        if (x < 0)
        {
            Error("unterminated raw quoted string");
            return false;
        }

        _pos = x + 1;
        Emit(TokenKind.RawString);
        return true;
    }
}
