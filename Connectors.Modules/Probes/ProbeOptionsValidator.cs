using Microsoft.Extensions.Options;

namespace Connectors.Modules.Probes;

/// <summary>
/// Checks the data annotations of <see cref="ProbeOptions"/> with code generated at build time, so validation needs no
/// reflection and survives the trimmed build the image ships.
/// </summary>
[OptionsValidator]
internal sealed partial class ProbeOptionsValidator : IValidateOptions<ProbeOptions>;
