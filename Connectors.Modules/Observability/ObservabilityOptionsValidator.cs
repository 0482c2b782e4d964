using Microsoft.Extensions.Options;

namespace Connectors.Modules.Observability;

/// <summary>
/// Checks the data annotations of <see cref="ObservabilityOptions"/> with code generated at build time, so validation needs no
/// reflection and survives the trimmed build the image ships.
/// </summary>
[OptionsValidator]
internal sealed partial class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>;
