namespace Connectors.Modules.Templates;

/// <summary>What a function reads besides its arguments; anything but None is refused by default.</summary>
internal enum FunctionEffect
{
    None,

    /// <summary>The clock, random numbers or keys (now, ago, rand*, gen*, uuidv4, shuffle, bcrypt ...).</summary>
    Nondeterministic,

    /// <summary>The process environment (env, expandenv).</summary>
    Environment,

    /// <summary>DNS (getHostByName).</summary>
    Network,
}
