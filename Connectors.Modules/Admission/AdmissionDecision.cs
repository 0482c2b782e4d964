using System.Text.Json.Nodes;

namespace Connectors.Modules.Admission;

/// <summary>A webhook's answer: allowed or not (with the message kubectl shows), an optional JSONPatch, warnings.</summary>
internal sealed record AdmissionDecision(bool Allowed, string? Message = null, JsonArray? Patch = null, IReadOnlyList<string>? Warnings = null)
{
    public static AdmissionDecision Allow(params string[] warnings) => new(true, Warnings: warnings);

    public static AdmissionDecision Deny(string message) => new(false, message);
}
