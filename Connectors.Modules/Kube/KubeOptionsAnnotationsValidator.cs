using Microsoft.Extensions.Options;

namespace Connectors.Modules.Kube;

/// <summary>
/// Checks the data annotations of <see cref="KubeOptions"/> with code generated at build time, so validation needs no
/// reflection and survives the trimmed build the image ships. Cross-field rules are <see cref="KubeOptionsValidator"/>'s.
/// </summary>
[OptionsValidator]
internal sealed partial class KubeOptionsAnnotationsValidator : IValidateOptions<KubeOptions>;
