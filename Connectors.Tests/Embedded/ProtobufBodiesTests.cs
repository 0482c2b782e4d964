using System.Net;
using System.Net.Http.Headers;
using Connectors.Modules.Embedded;
using Connectors.Tests.Support;
using Google.Protobuf;

namespace Connectors.Tests.Embedded;

/// <summary>The protobuf bodies kubectl's typed clients send (k8s envelope around runtime.Unknown).</summary>
[TestFixture]
public sealed class ProtobufBodiesTests
{
    [Test]
    public void Decode_Secret_ReadsMetadataMapsAndType()
    {
        var metadata = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited);
            w.WriteString("s1");
            w.WriteTag(3, WireFormat.WireType.LengthDelimited);
            w.WriteString("");
            w.WriteTag(11, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Message(e => { e.WriteTag(1, WireFormat.WireType.LengthDelimited); e.WriteString("app"); e.WriteTag(2, WireFormat.WireType.LengthDelimited); e.WriteString("web"); }));
        });
        var secret = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(metadata);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Message(e => { e.WriteTag(1, WireFormat.WireType.LengthDelimited); e.WriteString("a"); e.WriteTag(2, WireFormat.WireType.LengthDelimited); e.WriteBytes(ByteString.CopyFromUtf8("b")); }));
            w.WriteTag(3, WireFormat.WireType.LengthDelimited);
            w.WriteString("Opaque");
        });
        var obj = ProtobufBodies.Decode(Envelope("v1", "Secret", secret));
        Assert.That(obj.ToJsonString(), Is.EqualTo("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1","labels":{"app":"web"}},"data":{"a":"Yg=="},"type":"Opaque"}"""));
    }

    [Test]
    public void Decode_UnsupportedKind_Is415() =>
        Assert.That(() => ProtobufBodies.Decode(Envelope("v1", "Pod", ByteString.Empty)), Throws.TypeOf<ApiError>().With.Property(nameof(ApiError.Code)).EqualTo(415));

    [Test, CancelAfter(10_000)]
    public async Task Post_ProtobufSelfSubjectAccessReview_AnswersJson(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var attributes = Message(w =>
        {
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteString("get");
            w.WriteTag(5, WireFormat.WireType.LengthDelimited);
            w.WriteString("secrets");
        });
        var review = Message(w =>
        {
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(Message(s => { s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteBytes(attributes); }));
        });
        using var client = api.CreateClient();
        using var content = new ByteArrayContent(Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review));
        content.Headers.ContentType = new MediaTypeHeaderValue(ProtobufBodies.ContentType);
        using var response = await client.PostAsync("apis/authorization.k8s.io/v1/selfsubjectaccessreviews", content, cancellationToken);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((bool)body["status"]!["allowed"]!, Is.True);
            Assert.That((string?)body["spec"]!["resourceAttributes"]!["resource"], Is.EqualTo("secrets"));
        }
    }

    private static byte[] Envelope(string apiVersion, string kind, ByteString raw)
    {
        var typeMeta = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited);
            w.WriteString(apiVersion);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteString(kind);
        });
        var unknown = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(typeMeta);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited);
            w.WriteBytes(raw);
        });
        return [0x6b, 0x38, 0x73, 0x00, .. unknown.ToByteArray()];
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
