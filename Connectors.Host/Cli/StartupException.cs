namespace Connectors.Host.Cli;

/// <summary>An expected start-up failure: printed as one line on stderr, exit code 1, no stack trace.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
