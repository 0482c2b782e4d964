using System.Text.Json.Nodes;
using Connectors.Modules.Csi;
using Connectors.Tests.Support;
using CsCheck;
using Grpc.Core;

namespace Connectors.Tests.Csi;

/// <summary>
/// Properties of <see cref="VolumeRequestParser"/>, whose input is whatever a pod author writes in
/// <c>volumeAttributes</c>: any map of strings gives a request or INVALID_ARGUMENT (nothing else, and no hang), and
/// every valid volume written as attributes reads back as itself.
/// </summary>
[TestFixture]
public sealed class VolumeRequestParserPropertyTests
{
    private const string Target = "/var/lib/kubelet/pods/uid-1/volumes/kubernetes.io~csi/config/mount";
    private const string LabelChars = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly string[] Keys =
    [
        VolumeAttributes.Connectors, VolumeAttributes.ConnectorName, VolumeAttributes.ConnectorNamespace,
        VolumeAttributes.ConfigurationNames, VolumeAttributes.ConfigurationParams, VolumeAttributes.TokenExpiration,
        VolumeAttributes.PodName, VolumeAttributes.PodNamespace, VolumeAttributes.PodUid, VolumeAttributes.ServiceAccountName,
        VolumeAttributes.ServiceAccountTokens, VolumeAttributes.Ephemeral,
    ];

    private static readonly Gen<string> Label = Gen.Frequency(
        (1, Gen.Char[LabelChars].Select(c => c.ToString())),
        (4, Gen.Select(Gen.Char[LabelChars], Gen.Char[LabelChars + "-"].Array[0, 12], Gen.Char[LabelChars]).Select((a, middle, z) => a + new string(middle) + z)));

    /// <summary>Values that reach the parser's corners: separators, JSON shapes, durations at and past the limits, deep nesting.</summary>
    private static readonly Gen<string> Tricky = Gen.OneOf(
        "", " ", ",", ",,", "/", "a/", "/a", "!", "!..", "!.", "!a/b", "a,!b", "team/git", "git, other/k8s ,git", "A", "a_b", "a.b.c",
        "{", "}", "{}", "[]", "null", "1", "\"x\"", "{\"a\":{}}", "{\"a\":1}", "{\"a\":{\"b\":[1,2]}}", "{\"zzz\":{}}",
        new string('[', 5000), "{\"a\":" + new string('[', 40) + new string(']', 40) + "}",
        "10m", "9m59s", "24h", "24h0m1s", "1h30m", "30", "-10m", "1e3h", "9223372036854775807h", "99999999999999999999h", "1.5h", ".5h", "h", "0",
        new string('a', 300), new string('x', 70_000), "é", "\u0000", "\t", "\n");

    private static readonly Gen<string> Value = Gen.Frequency(
        (4, Tricky),
        (2, Gen.Char[LabelChars + "-./,!{}\":[]0123456789hms "].Array[0, 40].Select(c => new string(c))),
        (1, Gen.String));

    private static readonly Gen<string> Key = Gen.Frequency((6, Gen.OneOf(Keys)), (1, Gen.String));

    private static readonly Gen<string> FileName = Gen.Char["-._abcXYZ019"].Array[1, 12].Select(c => new string(c)).Where(FileNames.IsValid);

    [Test, CancelAfter(120_000)]
    public async Task Parse_ArbitraryAttributes_GivesARequestOrInvalidArgumentOnly(CancellationToken cancellationToken)
    {
        // Over a kubelet request that would parse, so that every attribute is reached, not only the first check.
        var overlay = Gen.Dictionary(Key, Value)[0, 8];
        var removed = Gen.OneOf(Keys).Array[0, 3];
        var target = Gen.OneOf(Target, Target + "/", "/var/lib/kubelet/pods/x", "/var/lib/kubelet/pods", "/var/lib/kubelet/podsx/a", "relative", "/a//b", "/a/./b", "");
        await Task.Run(() => Gen.Select(overlay, removed, target, Gen.Bool).Sample((attributes, remove, path, multi) =>
        {
            var request = CsiRequests.Publish(path, ("connectors", "git"));
            foreach (var key in remove)
            {
                request.VolumeContext.Remove(key);
            }

            foreach (var (key, value) in attributes)
            {
                request.VolumeContext[key] = value;
            }

            try
            {
                return IsCoherent(VolumeRequestParser.Parse(request, new CsiOptions { MultiConnector = multi }), path.TrimEnd('/'), multi);
            }
            catch (RpcException e)
            {
                return e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.Length > 0;
            }
        }, iter: 3000), cancellationToken).WaitAsync(cancellationToken);
    }

    [Test, CancelAfter(120_000)]
    public async Task Parse_ValidVolumeWrittenAsAttributes_ReadsBackAsItself(CancellationToken cancellationToken)
    {
        var connector = Gen.Select(Gen.Bool, Label, Label);
        var volume = Gen.Select(
            Gen.Select(Label, Label, connector.Array[1, 4], Gen.Bool),
            Gen.Select(Label.Array[0, 4], FileName.Array[0, 3], Gen.Bool.Array[4], Gen.Int[10, 24 * 60]));
        await Task.Run(() => volume.Sample((pod, files) =>
        {
            var (ns, sa, connectors, spaced) = pod;
            var (configurations, exclusions, withParams, minutes) = files;
            var separator = spaced ? " , " : ",";
            var refs = connectors.Select(c => c.Item1 ? new ConnectorRef(c.Item2, c.Item3) : new ConnectorRef(ns, c.Item3)).ToList();
            var parameters = new JsonObject();
            for (var i = 0; i < configurations.Length; i++)
            {
                if (withParams[i])
                {
                    parameters[configurations[i]] = new JsonObject { ["value"] = configurations[i] + "-" + i };
                }
            }

            var request = CsiRequests.Publish(Target,
                ("csi.storage.k8s.io/pod.namespace", ns),
                ("csi.storage.k8s.io/serviceAccount.name", sa),
                ("connectors", string.Join(separator, connectors.Select(c => c.Item1 ? $"{c.Item2}/{c.Item3}" : c.Item3))),
                ("configuration.names", string.Join(separator, configurations.Concat(exclusions.Select(e => "!" + e)))),
                ("configuration.params", parameters.ToJsonString()),
                ("token.expiration", GoDuration(minutes)));

            var parsed = VolumeRequestParser.Parse(request, new CsiOptions());

            return parsed.TargetPath == Target
                && parsed.Pod.Namespace == ns && parsed.Pod.ServiceAccount == sa
                && parsed.Connectors.SequenceEqual(refs.Distinct())
                && parsed.Configurations.SequenceEqual(configurations.Distinct())
                && parsed.Exclusions.SetEquals(exclusions)
                && JsonNode.DeepEquals(parsed.Params, parameters)
                && parsed.TokenExpiration == TimeSpan.FromMinutes(minutes);
        }, iter: 2000), cancellationToken).WaitAsync(cancellationToken);
    }

    /// <summary>What every parsed request holds, whatever the input.</summary>
    private static bool IsCoherent(VolumeRequest volume, string target, bool multi) =>
        volume.TargetPath == target
        && volume.Connectors.Count > 0 && (multi || volume.Connectors.Count == 1)
        && volume.Connectors.Distinct().Count() == volume.Connectors.Count
        && volume.Connectors.All(c => KubeNames.IsLabel(c.Namespace) && KubeNames.IsSubdomain(c.Name))
        && volume.Configurations.Distinct().Count() == volume.Configurations.Count
        && volume.Exclusions.All(FileNames.IsValid)
        && volume.Params.All(p => volume.Configurations.Contains(p.Key) && p.Value is JsonObject)
        && volume.TokenExpiration >= VolumeRequestParser.MinExpiration && volume.TokenExpiration <= VolumeRequestParser.MaxExpiration;

    /// <summary>Minutes as Go prints a duration: <c>1h30m</c>, <c>45m</c>, <c>2h</c>.</summary>
    private static string GoDuration(int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => $"{m}m",
        (var h, 0) => $"{h}h",
        (var h, var m) => $"{h}h{m}m",
    };
}
