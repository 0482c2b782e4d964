using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Checks the data annotations of <see cref="ProxyOptions"/> with code generated at build time, so validation needs no
/// reflection and survives the trimmed build the image ships.
/// </summary>
[OptionsValidator]
internal sealed partial class ProxyOptionsValidator : IValidateOptions<ProxyOptions>;
