namespace Connectors.Modules.Probes;

/// <summary>
/// The static limits a <c>response.cel</c> expression must keep before the <c>Cel</c> package sees it. The package's
/// parser and evaluator recurse once per level of the expression with no depth or cost limit: 4000 nested parentheses
/// overflow the stack (a <see cref="StackOverflowException"/> ends the process, no catch helps), and nested
/// comprehensions over a response's lists run for seconds and allocate hundreds of MiB. So an expression is at most
/// <see cref="MaxLength"/> characters (bounding every other shape, e.g. <c>1+1+1+...</c>, whose tree is as deep as
/// it is long), nests <c>(</c> <c>[</c> <c>{</c>, chained unary <c>!</c> <c>-</c> and conditional <c>?</c> at most
/// <see cref="MaxNesting"/> levels, and nests the comprehension macros (<c>all</c>, <c>exists</c>, <c>exists_one</c>,
/// <c>map</c>, <c>filter</c>) at most <see cref="MaxComprehensionNesting"/> deep. Levels are counted outside string
/// literals and comments, lexed as cel-spec does; a literal this scan cannot read (unterminated, a newline in a
/// one-line literal, an unknown escape) is refused, so the scan and the parser never disagree on what is code.
/// One implementation for the class reconciler (<c>InvalidCEL</c>) and the validating webhook.
/// </summary>
internal static class CelLimits
{
    /// <summary>The longest expression accepted (the catalogue's longest is under 100).</summary>
    public const int MaxLength = 1024;

    /// <summary>The deepest nesting of brackets, unary operators and conditionals accepted.</summary>
    public const int MaxNesting = 32;

    /// <summary>The deepest nesting of comprehension macros accepted.</summary>
    public const int MaxComprehensionNesting = 2;

    private static readonly HashSet<string> Comprehensions = new(StringComparer.Ordinal) { "all", "exists", "exists_one", "map", "filter" };

    /// <summary>Null when <paramref name="expression"/> keeps the limits, else why it does not.</summary>
    public static string? Check(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
        {
            return $"the expression is {expression.Length} characters long, the most is {MaxLength}";
        }

        return new Scanner(expression).Run();
    }

    private sealed class Frame(int depth, bool comprehension, int comprehensions)
    {
        public int Depth { get; } = depth;

        public bool Comprehension { get; } = comprehension;

        public int Comprehensions { get; } = comprehensions;

        public int Unary { get; set; }

        public int Conditionals { get; set; }

        public int Current => Depth + Unary + Conditionals;
    }

    private sealed class Scanner(string text)
    {
        private readonly Stack<Frame> _frames = new([new Frame(0, false, 0)]);
        private int _position;
        private bool _afterOperand;
        private bool _afterDot;

        public string? Run()
        {
            while (true)
            {
                SkipTrivia();
                if (_position >= text.Length)
                {
                    return null;
                }

                var start = _position;
                var c = text[_position];
                if (IsIdentifierStart(c))
                {
                    var identifier = ReadIdentifier();
                    if (_position < text.Length && text[_position] is '"' or '\'' && IsStringPrefix(identifier))
                    {
                        if (ReadString(identifier.Contains('r', StringComparison.OrdinalIgnoreCase)) is { } bad)
                        {
                            return $"{bad} at character {start + 1}";
                        }

                        Operand();
                        continue;
                    }

                    if (_afterDot && Comprehensions.Contains(identifier))
                    {
                        SkipTrivia();
                        if (_position < text.Length && text[_position] == '(')
                        {
                            if (Open(true) is { } deep)
                            {
                                return $"{deep} at character {_position}";
                            }

                            continue;
                        }
                    }

                    if (identifier == "in")
                    {
                        Operator();
                    }
                    else
                    {
                        Operand();
                    }

                    continue;
                }

                if (char.IsAsciiDigit(c))
                {
                    while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'
                        || (text[_position] == '.' && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1]))
                        || (text[_position] is '+' or '-' && text[_position - 1] is 'e' or 'E' && !text.AsSpan(start, _position - start).Contains("x", StringComparison.OrdinalIgnoreCase))))
                    {
                        _position++;
                    }

                    Operand();
                    continue;
                }

                if (c is '"' or '\'')
                {
                    if (ReadString(false) is { } bad)
                    {
                        return $"{bad} at character {start + 1}";
                    }

                    Operand();
                    continue;
                }

                string? problem = null;
                switch (c)
                {
                    case '(' or '[' or '{':
                        problem = Open(false);
                        break;
                    case ')' or ']' or '}':
                        _position++;
                        if (_frames.Count > 1)
                        {
                            _frames.Pop();
                        }

                        Operand();
                        break;
                    case '!' when _position + 1 < text.Length && text[_position + 1] == '=':
                        _position += 2;
                        Operator();
                        break;
                    case '!':
                    case '-' when !_afterOperand:
                        _position++;
                        _frames.Peek().Unary++;
                        _afterDot = false;
                        problem = Deeper();
                        break;
                    case '?':
                        _position++;
                        _frames.Peek().Conditionals++;
                        Operator();
                        problem = Deeper();
                        break;
                    case ',':
                        _position++;
                        _frames.Peek().Conditionals = 0;
                        Operator();
                        break;
                    case '.':
                        _position++;
                        _afterOperand = false;
                        _afterDot = true;
                        break;
                    default:
                        _position++;
                        Operator();
                        break;
                }

                if (problem is not null)
                {
                    return $"{problem} at character {start + 1}";
                }
            }
        }

        private void Operand()
        {
            _frames.Peek().Unary = 0;
            _afterOperand = true;
            _afterDot = false;
        }

        private void Operator()
        {
            _afterOperand = false;
            _afterDot = false;
        }

        private string? Open(bool comprehension)
        {
            _position++;
            var outer = _frames.Peek();
            var frame = new Frame(outer.Current + 1, comprehension, outer.Comprehensions + (comprehension ? 1 : 0));
            outer.Unary = 0;
            _frames.Push(frame);
            Operator();
            if (frame.Comprehensions > MaxComprehensionNesting)
            {
                return $"the expression nests comprehensions (all, exists, exists_one, map, filter) more than {MaxComprehensionNesting} deep";
            }

            return Deeper();
        }

        private string? Deeper() => _frames.Peek().Current > MaxNesting
            ? $"the expression nests brackets, unary operators and conditionals more than {MaxNesting} levels deep"
            : null;

        private void SkipTrivia()
        {
            while (_position < text.Length)
            {
                if (text[_position] is ' ' or '\t' or '\n' or '\r' or '\f')
                {
                    _position++;
                }
                else if (text[_position] == '/' && _position + 1 < text.Length && text[_position + 1] == '/')
                {
                    while (_position < text.Length && text[_position] != '\n')
                    {
                        _position++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private string ReadIdentifier()
        {
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return text[start.._position];
        }

        /// <summary>Reads a string or bytes literal at <see cref="_position"/> (its quote); null, or why it cannot.</summary>
        private string? ReadString(bool raw)
        {
            var quote = text[_position];
            var triple = _position + 2 < text.Length && text[_position + 1] == quote && text[_position + 2] == quote;
            _position += triple ? 3 : 1;
            while (_position < text.Length)
            {
                var c = text[_position];
                if (c == quote && (!triple || (_position + 2 < text.Length && text[_position + 1] == quote && text[_position + 2] == quote)))
                {
                    _position += triple ? 3 : 1;
                    return null;
                }

                if (!triple && c is '\n' or '\r')
                {
                    return "a string literal has a line break";
                }

                if (c == '\\' && !raw)
                {
                    if (_position + 1 >= text.Length || !IsEscape(text[_position + 1]))
                    {
                        return "a string literal has an invalid escape sequence";
                    }

                    _position += 2;
                    continue;
                }

                _position++;
            }

            return "a string literal is not terminated";
        }

        private static bool IsStringPrefix(string identifier) =>
            identifier.ToLowerInvariant() is "r" or "b" or "br";

        private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

        private static bool IsEscape(char c) => c is 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\' or '?' or '"' or '\'' or '`'
            or 'x' or 'X' or 'u' or 'U' or (>= '0' and <= '7');
    }
}
