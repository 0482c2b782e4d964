using System.Text;
using Connectors.Modules.Proxy;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

/// <summary>The proxy's own answers, byte for byte: registry clients parse the error JSON, people read the text line.</summary>
[TestFixture]
public sealed class ProxyResponsesTests
{
    private const string Message = "connector \"team/reg\" can't <use> it: é";

    [Test]
    public async Task WriteRegistryErrorAsync_AnyPath_DistributionErrorJsonWithoutChallenge()
    {
        var (status, headers, body) = await WriteAsync("/namespaces/team/connectors/reg/x",
            context => ProxyResponses.WriteRegistryErrorAsync(context, StatusCodes.Status502BadGateway, "BLOB_UPLOAD_INVALID", Message, CancellationToken.None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(502));
            Assert.That(body, Is.EqualTo(
                """{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"connectors proxy: connector \u0022team/reg\u0022 can\u0027t \u003Cuse\u003E it: \u00E9"}]}""" + "\n"));
            Assert.That(headers, Is.EqualTo(new Dictionary<string, string>
            {
                ["Content-Type"] = "application/json; charset=utf-8",
                ["Docker-Distribution-API-Version"] = "registry/2.0",
                ["Content-Length"] = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }

    [Test]
    public async Task WriteAsync_UnderTheRegistryApi_DistributionErrorJsonWithChallenge()
    {
        var (status, headers, body) = await WriteAsync("/v2/namespaces/team/connectors/reg/a/manifests/v1",
            context => ProxyResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, Message, CancellationToken.None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(401));
            Assert.That(body, Is.EqualTo(
                """{"errors":[{"code":"UNAUTHORIZED","message":"connectors proxy: connector \u0022team/reg\u0022 can\u0027t \u003Cuse\u003E it: \u00E9"}]}""" + "\n"));
            Assert.That(headers, Is.EqualTo(new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = "Basic realm=\"connectors\"",
                ["Content-Type"] = "application/json; charset=utf-8",
                ["Docker-Distribution-API-Version"] = "registry/2.0",
                ["Content-Length"] = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }

    [Test]
    public async Task WriteAsync_OtherPath_OneTextLine()
    {
        var (status, headers, body) = await WriteAsync("/namespaces/team/connectors/git/x",
            context => ProxyResponses.WriteAsync(context, StatusCodes.Status407ProxyAuthenticationRequired, Message, CancellationToken.None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(407));
            Assert.That(body, Is.EqualTo("connectors proxy: " + Message + "\n"));
            Assert.That(headers, Is.EqualTo(new Dictionary<string, string>
            {
                ["Proxy-Authenticate"] = "Basic realm=\"connectors\"",
                ["Content-Type"] = "text/plain; charset=utf-8",
                ["Content-Length"] = Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }

    private static async Task<(int Status, Dictionary<string, string> Headers, string Body)> WriteAsync(string path, Func<HttpContext, Task<int>> write)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        using var body = new MemoryStream();
        context.Response.Body = body;
        var status = await write(context);
        Assert.That(context.Response.StatusCode, Is.EqualTo(status));
        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return (status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }
}
