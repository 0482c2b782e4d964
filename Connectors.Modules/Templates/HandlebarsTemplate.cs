using HandlebarsDotNet;

namespace Connectors.Modules.Templates;

/// <summary>
/// A compiled Handlebars template over the same data as Go templates (maps become dictionaries, lists
/// become arrays, numbers print as Go prints float64), with the helpers classes need: b64enc, b64dec,
/// urlquery, trimPrefix, trimSuffix, lower, upper, trim, replace, quote, default, join, printf, urlParse, eq.
/// </summary>
internal sealed class HandlebarsTemplate
{
    private static readonly IHandlebars Environment = HandlebarsHelpers.CreateEnvironment();
    private readonly HandlebarsTemplate<object, object> _template;
    private readonly string _name;

    private HandlebarsTemplate(string name, HandlebarsTemplate<object, object> template) => (_name, _template) = (name, template);

    public static HandlebarsTemplate Compile(string name, string text)
    {
        try
        {
            return new HandlebarsTemplate(name, Environment.Compile(text));
        }
        catch (HandlebarsException e)
        {
            throw new TemplateException($"handlebars: {name}: {e.Message}");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // Handlebars.Net's tokenizer fails on some malformed text with its internals' exceptions rather than a
            // HandlebarsException ("{{~" at the end: InvalidOperationException "Enumeration already finished."). It is
            // still the template's fault, and Render promises an error result, never an exception.
            throw new TemplateException($"handlebars: {name}: malformed template ({e.GetType().Name}: {e.Message})");
        }
    }

    public RenderResult Render(TemplateValue data, RenderOptions options)
    {
        try
        {
            var output = _template(HandlebarsHelpers.ToPlain(data.Root)!);
            return output.Length > options.MaxOutputBytes
                ? RenderResult.Failure($"handlebars: {_name}: output exceeds the limit of {options.MaxOutputBytes} bytes")
                : RenderResult.Success(output);
        }
        catch (Exception e) when (e is HandlebarsException or FunctionCallException or InvalidCastException or FormatException)
        {
            return RenderResult.Failure($"handlebars: {_name}: {e.Message}");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // Handlebars.Net compiles some malformed templates into code that fails on every render with its internals'
            // exceptions: "{{#/a}}" and "{{^/a}}" throw IndexOutOfRangeException from its path resolver.
            return RenderResult.Failure($"handlebars: {_name}: cannot render the template ({e.GetType().Name}: {e.Message})");
        }
    }
}
