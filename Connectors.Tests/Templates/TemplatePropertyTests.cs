using Connectors.Modules.Templates;
using CsCheck;

namespace Connectors.Tests.Templates;

/// <summary>
/// Property-based tests of both template engines over text from outside (ConnectorClass authors): arbitrary strings
/// and strings built from template-ish fragments never make the lexer, parser or renderer throw anything but the
/// template error, and never hang (each sample is bounded; the engines' own limits stop runaway templates).
/// A failure prints the shrunk input and the seed to replay it with. What they found is pinned in
/// <see cref="SprigFunctionsTests"/> and below: Handlebars.Net exceptions escaping Render, a hang in seq/until on
/// overflowing bounds, and a stack overflow (process crash) in deepCopy of a map that holds itself.
/// </summary>
[TestFixture]
public sealed class TemplatePropertyTests
{
    // Far above any sample's cost (microseconds to milliseconds; the render timeout is 2 s): only a hang reaches it.
    private static readonly TimeSpan SampleBound = TimeSpan.FromSeconds(20);

    private static readonly string[] GoFragments =
    [
        "{{", "}}", "{{-", "-}}", "{{- ", " -}}", "{{/*", "*/}}", "/*", "*/", " ", "\t", "\n", "-", "range", "end", "if", "else",
        "else if", "with", "else with", "define", "template", "block", "break", "continue", "nil", "true", "|", "\"", "'", "`",
        "\\", "\\\"", ".", "..", "$", "$x", "$_", ":=", "=", "(", ")", ",", "printf", "print", "println", "len", "index", "slice",
        "and", "or", "not", "eq", "ne", "lt", "call", "html", "js", "urlquery", "b64enc", "b64dec", "toJson", "fromJson", "default",
        "repeat", "until", "list", "dict", "get", "set", "keys", "split", "join", "trim", "upper", "quote", "atoi", "int", "add",
        "div", "mod", "sub", "regexMatch", "regexReplaceAll", "semver", "date", "toDate", "required", "fail", "tpl", "include",
        "0", "1", "-1", "1e3", "0x1F", "0b1", "1_000", "9223372036854775808", "'a'", "'\\n'", "\"%d\"", "\"%v\"", "\"%*d\"",
        "\"%[2]s\"", "\"a\"", ".a", ".a.b", ".s", ".n", ".a.b.c", ".Connector.Spec.Address", "%", "{", "}", "é", "😀", "\ud800", "\0",
    ];

    private static readonly string[] HandlebarsFragments =
    [
        "{{", "}}", "{{{", "}}}", "{{~", "~}}", "{{!", "{{!--", "--}}", "{{#", "{{/", "{{^", "{{>", "{{&", "{{else}}", "#if", "/if",
        "#each", "/each", "#with", "/with", "#unless", "/unless", "else", "this", "@index", "@key", "@root", "../", ".", "/", " ",
        "\n", "\"", "'", "=", "(", ")", "[", "]", "|", "as |x|", "a", "a.b", "s", "n", "lookup", "b64enc", "b64dec", "urlquery",
        "trimPrefix", "trimSuffix", "lower", "upper", "trim", "replace", "quote", "default", "join", "printf", "urlParse", "eq",
        "1", "-1", "true", "null", "\\", "\\{{", "é", "😀", "\ud800",
    ];

    private const string DataJson =
        """{"a":{"b":[1,"x",true,null],"c":{"d":"e"}},"s":"text","n":3,"Connector":{"Spec":{"Address":"https://git.example.com"}}}""";

    /// <summary>Fresh data for each render: sprig's set changes the data it is given (as in Go), even into a cycle.</summary>
    private static TemplateValue Data => TemplateValue.ParseJson(DataJson);

    private static Gen<string> Built(string[] fragments) =>
        Gen.Frequency((6, Gen.OneOf(fragments)), (1, Gen.String[0, 3])).Array[0, 40].Select(string.Concat);

    private static readonly string[] Operands =
    [
        ".", ".a", ".a.b", ".a.c.d", ".s", ".n", ".missing", ".Connector.Spec.Address", "$", "nil", "true", "false", "0", "1", "-1",
        "3", "1e3", "1e9", "-1e9", "0x1F", "1.5", "9223372036854775807", "9223372036854775808", "'a'", "\"\"", "\"a\"", "\"%d\"",
        "\"%v\"", "\"%*d\"", "\"%[2]s\"", "\"%!\"", "\"a,b\"", "\"[\"", "\"(a*)*b\"", "\"1.2.3\"", "\">= 1.0\"", "\"2006-01-02\"",
        "\"eyJhIjoxfQ==\"", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "\"{\\\"a\\\":1}\"", "(list 1 \"a\" nil)", "(dict \"k\" 1)", "(list)", "(dict)",
    ];

    /// <summary>
    /// Well-formed actions (output, if, range, with, variables) over any function the engine knows and odd operands:
    /// these parse, so they reach the executor and every function with surprising arguments.
    /// </summary>
    private static readonly Gen<string> GoActions = BuildGoActions();

    private static Gen<string> BuildGoActions()
    {
        var command = Gen.Select(
            Gen.OneOf([.. TemplateEngine.GoFunctionNames()]),
            Gen.OneOf(Operands).Array[0, 3],
            (function, args) => args.Length == 0 ? function : function + " " + string.Join(' ', args));
        var pipeline = Gen.Frequency((1, Gen.OneOf(Operands)), (4, command)).Array[1, 3].Select(commands => string.Join(" | ", commands));
        var action = Gen.Select(
            Gen.Int[0, 5],
            pipeline,
            (shape, p) => shape switch
            {
                0 => "{{ " + p + " }}",
                1 => "{{if " + p + "}}t{{else}}f{{end}}",
                2 => "{{range $i, $v := " + p + "}}{{$i}}={{$v}};{{end}}",
                3 => "{{with $x := " + p + "}}{{$x}}{{end}}",
                4 => "{{- " + p + " -}}",
                _ => "{{ printf \"%v\" (" + p + ") }}",
            });
        return Gen.Frequency((1, Gen.OneOf("x", "\n", " ")), (5, action)).Array[1, 3].Select(string.Concat);
    }

    /// <summary>Any UTF-16 text, and text over the characters that matter to the lexers.</summary>
    private static readonly Gen<string> Arbitrary = Gen.OneOf(
        Gen.String[0, 120],
        Gen.Char["{}-~|\"'`()[]$.:=!#/^&>*\\ \n\tae1"].Array[0, 120].Select(chars => new string(chars)));

    [Test, CancelAfter(120_000)]
    public async Task Parse_ArbitraryText_OnlyTemplateException(CancellationToken cancellationToken) =>
        await SampleAsync(Arbitrary, ParseGo, 4_000, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Parse_GoFragments_OnlyTemplateException(CancellationToken cancellationToken) =>
        await SampleAsync(Built(GoFragments), ParseGo, 4_000, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Render_GoFragments_NeverThrows(CancellationToken cancellationToken) =>
        await SampleAsync(Built(GoFragments), text => Render(text, RenderOptions.Default), 3_000, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Render_GoActions_NeverThrows(CancellationToken cancellationToken) =>
        await SampleAsync(GoActions, text => Render(text, RenderOptions.Default), 4_000, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Render_ArbitraryTextAsGo_NeverThrows(CancellationToken cancellationToken) =>
        await SampleAsync(Arbitrary, text => Render(text, RenderOptions.Default), 2_000, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Compile_HandlebarsFragments_OnlyTemplateException(CancellationToken cancellationToken) =>
        await SampleAsync(Built(HandlebarsFragments), CompileHandlebars, 600, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Compile_ArbitraryTextAsHandlebars_OnlyTemplateException(CancellationToken cancellationToken) =>
        await SampleAsync(Arbitrary, CompileHandlebars, 600, cancellationToken);

    [Test, CancelAfter(120_000)]
    public async Task Render_HandlebarsFragments_NeverThrows(CancellationToken cancellationToken) =>
        await SampleAsync(Built(HandlebarsFragments), text => Render(text, RenderOptions.Default with { Engine = TemplateEngineKind.Handlebars }), 600, cancellationToken);

    /// <summary>Inputs the properties found: Handlebars.Net threw its internals' exceptions out of Compile and Render.</summary>
    [TestCase("{{~", "handlebars: found: malformed template (InvalidOperationException: Enumeration already finished.)")]
    [TestCase("a.b{{~", "handlebars: found: malformed template (InvalidOperationException: Enumeration already finished.)")]
    [TestCase("{{#/a}}", "handlebars: found: cannot render the template (IndexOutOfRangeException: Index was outside the bounds of the array.)")]
    [TestCase("{{^/a}}", "handlebars: found: cannot render the template (IndexOutOfRangeException: Index was outside the bounds of the array.)")]
    public void Render_HandlebarsInputsFoundByProperties_ErrorResult(string text, string expected)
    {
        var result = new TemplateEngine().Render("found", text, Data, RenderOptions.Default with { Engine = TemplateEngineKind.Handlebars }, CancellationToken.None);
        Assert.That((result.Output, result.Error), Is.EqualTo(((string?)null, expected)));
    }

    [TestCase(1_000)]
    [TestCase(100_000)]
    public void Render_DeeplyNestedParentheses_ErrorNotCrash(int depth)
    {
        var text = "{{" + new string('(', depth) + "1" + new string(')', depth) + "}}";
        var result = TemplateEngine.Shared.Render("deep", text, Data, RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Succeeded ? result.Output : result.Error, Is.Not.Null);
    }

    private static void ParseGo(string text)
    {
        try
        {
            foreach (var token in TemplateLexer.Lex(text))
            {
                Assert.That(token.Pos, Is.InRange(0, text.Length), "token position");
            }

            TemplateParser.Parse("prop", text, FunctionTable.Standard);
        }
        catch (TemplateException)
        {
            // The one error a template may cause.
        }
    }

    private static void CompileHandlebars(string text)
    {
        try
        {
            HandlebarsTemplate.Compile("prop", text);
        }
        catch (TemplateException)
        {
            // The one error a template may cause.
        }
    }

    private static void Render(string text, RenderOptions options)
    {
        // A fresh engine: the shared one's cache would hide a parse that throws on first sight only.
        var result = new TemplateEngine().Render("prop", text, Data, options, CancellationToken.None);
        if (result.Succeeded != (result.Output is not null) || result.Succeeded == (result.Error is not null))
        {
            throw new InvalidOperationException($"inconsistent result: output {result.Output is not null}, error {result.Error}");
        }
    }

    private static Task SampleAsync(Gen<string> gen, Action<string> property, long iterations, CancellationToken cancellationToken) =>
        Check.SampleAsync(
            gen,
            async text => await Task.Run(() => property(text), cancellationToken).WaitAsync(SampleBound, cancellationToken),
            iter: iterations,
            threads: 1,
            print: Quote);

    /// <summary>The sample as a C# literal, so a failure can be pasted into a test.</summary>
    private static string Quote(string text) =>
        "\"" + string.Concat(text.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\t' => "\\t",
            _ when c < ' ' || char.IsSurrogate(c) || c > '~' => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        })) + "\"";
}
