using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Connectors.Modules.Csi;
using Grpc.Core;

namespace Connectors.Host.Cli;

/// <summary>
/// <c>connectors csi publish|unpublish|info</c>: calls a CSI driver's socket exactly as kubelet does for an inline
/// volume, so people (and tests) see what a pod would get.
/// </summary>
internal static class CsiCommand
{
    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The driver's socket, unix:///path", Required = true, HelpName = "unix://PATH", Recursive = true };
        var target = new Option<string>("--target") { Description = "Directory to publish into (its parent must exist)", Required = true, HelpName = "DIR" };
        var volumeId = new Option<string?>("--volume-id") { Description = "Volume id; derived from --target when empty", HelpName = "id" };
        var connectors = new Option<string[]>("--connector") { Description = "Connector [NS/]NAME; repeat for several", Required = true, HelpName = "[NS/]NAME" };
        var configurations = new Option<string?>("--configurations") { Description = "configuration.names: comma list, !file excludes a file", HelpName = "a,b" };
        var podNamespace = new Option<string>("--pod-namespace") { Description = "Namespace of the pod", DefaultValueFactory = _ => "default", HelpName = "NS" };
        var podName = new Option<string>("--pod-name") { Description = "Name of the pod", DefaultValueFactory = _ => "connectors-csi-client", HelpName = "name" };
        var serviceAccount = new Option<string>("--service-account") { Description = "ServiceAccount of the pod", DefaultValueFactory = _ => "default", HelpName = "SA" };
        var attributes = new Option<string[]>("--attribute") { Description = "Extra volume attribute key=value; repeat for several", HelpName = "k=v" };

        var publish = new Command("publish", "NodePublishVolume: render and write the volume into --target")
        {
            target, volumeId, connectors, configurations, podNamespace, podName, serviceAccount, attributes,
        };
        publish.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(target)!);
            var id = parse.GetValue(volumeId) ?? VolumeIdOf(path);
            var context = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["csi.storage.k8s.io/ephemeral"] = "true",
                ["csi.storage.k8s.io/pod.name"] = parse.GetValue(podName)!,
                ["csi.storage.k8s.io/pod.namespace"] = parse.GetValue(podNamespace)!,
                ["csi.storage.k8s.io/pod.uid"] = Guid.NewGuid().ToString(),
                ["csi.storage.k8s.io/serviceAccount.name"] = parse.GetValue(serviceAccount)!,
                ["connectors"] = string.Join(",", parse.GetValue(connectors)!),
            };
            if (parse.GetValue(configurations) is { Length: > 0 } names)
            {
                context["configuration.names"] = names;
            }

            foreach (var attribute in parse.GetValue(attributes) ?? [])
            {
                var equals = attribute.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return ConnectorsCommandLine.UsageError(parse, $"--attribute \"{attribute}\": want key=value");
                }

                context[attribute[..equals]] = attribute[(equals + 1)..];
            }

            return await CallAsync(parse, endpoint, async (client, output) =>
            {
                await client.PublishAsync(id, path, context, cancellationToken);
                await output.WriteLineAsync($"published {id} at {path}:");
                foreach (var file in Directory.GetFileSystemEntries(path).Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(file);
                    if (!name.StartsWith("..", StringComparison.Ordinal))
                    {
                        var size = new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true) is FileInfo real ? real.Length : 0;
                        await output.WriteLineAsync($"  {name} ({size} bytes)");
                    }
                }
            }, cancellationToken);
        });

        var unpublishTarget = new Option<string>("--target") { Description = "The published directory", Required = true, HelpName = "DIR" };
        var unpublishId = new Option<string?>("--volume-id") { Description = "Volume id; derived from --target when empty", HelpName = "id" };
        var unpublish = new Command("unpublish", "NodeUnpublishVolume: unmount and remove --target") { unpublishTarget, unpublishId };
        unpublish.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(unpublishTarget)!);
            var id = parse.GetValue(unpublishId) ?? VolumeIdOf(path);
            return await CallAsync(parse, endpoint, async (client, output) =>
            {
                await client.UnpublishAsync(id, path, cancellationToken);
                await output.WriteLineAsync($"unpublished {id} at {path}");
            }, cancellationToken);
        });

        var info = new Command("info", "GetPluginInfo, Probe and NodeGetInfo");
        info.SetAction((parse, cancellationToken) => CallAsync(parse, endpoint, async (client, output) =>
        {
            var driver = await client.GetInfoAsync(cancellationToken);
            await output.WriteLineAsync($"{driver.Name} {driver.Version} node={driver.NodeId} ready={(driver.Ready ? "true" : "false")}");
        }, cancellationToken));

        return new Command("csi", "Call a CSI driver's socket as kubelet does") { endpoint, publish, unpublish, info };
    }

    /// <summary>kubelet's ids of inline volumes look like <c>csi-&lt;sha256 hex&gt;</c>; derive one the same way from the target.</summary>
    private static string VolumeIdOf(string target) =>
        "csi-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)));

    private static async Task<int> CallAsync(ParseResult parse, Option<string> endpoint, Func<CsiDriverClient, TextWriter, Task> call, CancellationToken cancellationToken)
    {
        CsiDriverClient client;
        try
        {
            client = new CsiDriverClient(parse.GetValue(endpoint)!, TimeSpan.FromSeconds(60));
        }
        catch (FormatException e)
        {
            return ConnectorsCommandLine.UsageError(parse, e.Message);
        }

        var error = parse.InvocationConfiguration.Error;
        using var owned = client;
        try
        {
            await call(client, parse.InvocationConfiguration.Output);
            return 0;
        }
        catch (RpcException e) when (e.Status.DebugException is HttpRequestException unreachable)
        {
            // The client's own UNAVAILABLE: no answer came from the socket.
            await error.WriteLineAsync($"connectors: cannot reach the CSI driver at unix://{client.SocketPath}: {Reason(client.SocketPath, unreachable)}");
            return 1;
        }
        catch (RpcException e)
        {
            // The form grpc-go (and so kubelet's events) prints.
            await error.WriteLineAsync($"connectors: rpc error: code = {e.StatusCode} desc = {e.Status.Detail}");
            return 1;
        }
    }

    /// <summary>Why the socket did not answer, in the user's terms (not the loopback HTTP address the client uses inside).</summary>
    private static string Reason(string socketPath, HttpRequestException e)
    {
        if (!File.Exists(socketPath))
        {
            return "no such socket (is `connectors run --role csi-node` running with this --csi-endpoint?)";
        }

        return e.InnerException is System.Net.Sockets.SocketException socket
            ? socket.SocketErrorCode switch
            {
                System.Net.Sockets.SocketError.ConnectionRefused => "connection refused (a stale socket: is the driver running?)",
                System.Net.Sockets.SocketError.AccessDenied => "permission denied",
                _ => socket.Message,
            }
            : e.Message;
    }
}
