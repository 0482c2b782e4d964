namespace Connectors.Modules.Templates;

// The tokens inside an action: spaces, identifiers and keywords, fields and variables, numbers, quotes.
internal sealed partial class TemplateLexer
{
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
