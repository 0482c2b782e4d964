namespace Connectors.Modules.Templates;

/// <summary>
/// A nil interface value found inside a container (a JSON null in a map or list, a missing key under
/// missingkey=zero). Go prints it as &lt;no value&gt; after a pipeline, but chaining a field onto it is an error
/// ("nil pointer evaluating interface {}.x"), unlike a missing key. Pipelines turn it into <c>null</c>.
/// </summary>
internal sealed class GoNil
{
    public static readonly GoNil Instance = new();

    private GoNil()
    {
    }
}
