namespace Connectors.Modules.Templates;

/// <summary>One lexical item of template text; <see cref="Pos"/> is its offset in the text.</summary>
internal readonly record struct TemplateToken(TokenKind Kind, string Value, int Pos)
{
    public override string ToString() => Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Error => Value,
        TokenKind.LeftDelim or TokenKind.RightDelim or TokenKind.Space => GoQuote.Quote(Value),
        _ when Kind >= TokenKind.Dot => "<" + Value + ">",
        _ => GoQuote.Quote(Value),
    };
}
