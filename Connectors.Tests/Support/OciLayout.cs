using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Connectors.Tests.Support;

/// <summary>
/// Writes a one-layer OCI image layout (image-spec "Image Layout": <c>oci-layout</c>, <c>index.json</c>,
/// <c>blobs/sha256/</c>) for skopeo's <c>oci:</c> transport: a gzip'd tar holding one file, its config and manifest.
/// </summary>
internal static class OciLayout
{
    /// <summary>Creates the layout at <paramref name="directory"/> with image <paramref name="tag"/>; returns the layer's digest.</summary>
    public static string Create(string directory, string tag, string fileName, byte[] content)
    {
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName) { DataStream = new MemoryStream(content), Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead };
            writer.WriteEntry(entry);
        }

        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray()));
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            tar.Position = 0;
            tar.CopyTo(gzip);
        }

        var layer = Blob(directory, gz.ToArray());
        var config = Blob(directory, Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{\"Cmd\":[\"/{fileName}\"]}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{diffId}\"]}}}}"));
        var manifest = Blob(directory, Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{config.Digest}\",\"size\":{config.Size}}},"
            + $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{layer.Digest}\",\"size\":{layer.Size}}}]}}"));
        File.WriteAllText(Path.Combine(directory, "index.json"),
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + $"\"digest\":\"{manifest.Digest}\",\"size\":{manifest.Size},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{tag}\"}}}}]}}");
        return layer.Digest;
    }

    /// <summary>The digests of every blob under a layout.</summary>
    public static IReadOnlyList<string> Blobs(string directory) =>
        [.. Directory.EnumerateFiles(Path.Combine(directory, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static (string Digest, long Size) Blob(string directory, byte[] bytes)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(directory, "blobs", "sha256", hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }
}
