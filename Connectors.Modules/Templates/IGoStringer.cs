namespace Connectors.Modules.Templates;

/// <summary>A value with a Go String() method (time.Time, *semver.Version): fmt prints it through that method.</summary>
internal interface IGoStringer
{
    string GoString();

    string GoTypeName { get; }
}
