namespace Connectors.Modules.Csi;

/// <summary>What one <see cref="FilePageReleaser.Release"/> did.</summary>
/// <param name="Mappings">Clean read-only file mappings it advised.</param>
/// <param name="ResidentBytes">Their resident bytes before the advice.</param>
/// <param name="Failures">Mappings the kernel refused (the last errno in <paramref name="LastErrno"/>).</param>
/// <param name="LastErrno">errno of the last refusal, 0 when none.</param>
internal readonly record struct FilePageRelease(int Mappings, long ResidentBytes, int Failures, int LastErrno);
