using Connectors.Modules.Admission;

namespace Connectors.Tests.Admission;

[TestFixture]
public sealed class ImageReferenceTests
{
    [TestCase("registry.example.com/team/app:v1", "registry.example.com", "team/app", ":v1")]
    [TestCase("registry.example.com:5000/app", "registry.example.com:5000", "app", "")]
    [TestCase("localhost/app@sha256:abc", "localhost", "app", "@sha256:abc")]
    [TestCase("busybox", "docker.io", "library/busybox", "")]
    [TestCase("bitnami/nginx:1.25", "docker.io", "bitnami/nginx", ":1.25")]
    [TestCase("r.example.com/a/b:t@sha256:abc", "r.example.com", "a/b", ":t@sha256:abc")]
    public void Parse_References_SplitAsContainerRuntimes(string image, string registry, string repository, string suffix)
    {
        var reference = ImageReference.Parse(image);
        Assert.That(reference, Is.EqualTo(new ImageReference(registry, repository, suffix)));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("registry.example.com/")]
    public void Parse_Malformed_Null(string image) => Assert.That(ImageReference.Parse(image), Is.Null);

    [TestCase("registry.example.com/a", "https://registry.example.com", true)]
    [TestCase("registry.example.com:443/a", "https://registry.example.com", true)]
    [TestCase("REGISTRY.example.com/a", "https://registry.example.com/v2/", true)]
    [TestCase("registry.example.com:5000/a", "http://registry.example.com:5000", true)]
    [TestCase("registry.example.com/a", "https://registry.example.com:8443", false)]
    [TestCase("other.example.com/a", "https://registry.example.com", false)]
    [TestCase("busybox", "https://registry-1.docker.io", true)]
    public void IsServedBy_HostAndPort_Compared(string image, string address, bool expected) =>
        Assert.That(ImageReference.Parse(image)!.IsServedBy(new Uri(address)), Is.EqualTo(expected));
}
