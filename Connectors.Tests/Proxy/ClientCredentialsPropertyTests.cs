using System.Text;
using Connectors.Modules.Proxy;
using CsCheck;

namespace Connectors.Tests.Proxy;

/// <summary>
/// Property-based tests of <see cref="ClientCredentials.ReadProxyCredential"/>, which reads a header any client on the
/// network may send: it never throws, answers exactly one of credential or error, never echoes the token in an
/// error, and reads back every well-formed <c>Basic base64("ns/name[,ns2/name2...]:token")</c> exactly, in each
/// form the code accepts (scheme in any case, blanks after the scheme and around entries, <c>%2F</c> for the slash,
/// empty list entries, colons in the token).
/// </summary>
[TestFixture]
public sealed class ClientCredentialsPropertyTests
{
    private const long Iterations = 5_000;

    /// <summary>A DNS-1123 label (what namespace and Connector names are): lowercase letters, digits, inner '-'.</summary>
    private static readonly Gen<string> Label =
        Gen.Select(
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"],
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"].Array[0, 20],
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"],
            Gen.Bool,
            (first, middle, last, single) => single ? first.ToString() : first + new string(middle) + last);

    /// <summary>A token: printable ASCII and some non-ASCII text, colons, commas and blanks included; never empty.</summary>
    private static readonly Gen<string> Token =
        Gen.Frequency((20, Gen.Char[' ', '~']), (1, Gen.Char["é€中ü"]))
            .Array[1, 80]
            .Select(chars => new string(chars));

    private static readonly Gen<ConnectorKey[]> Keys = Gen.Select(Label, Label, (ns, name) => new ConnectorKey(ns, name)).Array[1, 5];

    /// <summary>One way a client may write an entry: the slash raw or percent-encoded (either case), blanks around.</summary>
    private static readonly Gen<(string Slash, string Before, string After)> EntryForm = Gen.Select(
        Gen.OneOf("/", "%2F", "%2f"),
        Gen.OneOf("", " ", "  ", "\t"),
        Gen.OneOf("", " "));

    /// <summary>Arbitrary header values, and values that look like Basic credentials with arbitrary bytes or text inside.</summary>
    private static readonly Gen<string> AnyHeader = Gen.OneOf(
        Gen.String[0, 200],
        Gen.Select(Gen.OneOf("Basic ", "basic ", "BASIC  ", " Basic", "Basic", "Bearer "), Gen.String[0, 120], (scheme, rest) => scheme + rest),
        Gen.Select(Gen.OneOf("Basic ", "basic "), Gen.Byte.Array[0, 4_000], (scheme, bytes) => scheme + Convert.ToBase64String(bytes)),
        Gen.Select(Gen.OneOf("Basic ", "basic "), Gen.String[0, 120], (scheme, text) => scheme + B64(text)),
        Gen.Select(Gen.Char["/%2Fa:, "].Array[0, 40], Gen.Char["A:=+/ "].Array[0, 10], (user, rest) => "Basic " + B64(new string(user)) + new string(rest)));

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Test]
    public void ReadProxyCredential_AnyValue_NeverThrowsAndCredentialXorError() =>
        AnyHeader.Sample(
            value =>
            {
                var (credential, error) = ClientCredentials.ReadProxyCredential(value);
                if (string.IsNullOrEmpty(value))
                {
                    return credential is null && error is null;
                }

                return (credential is null) != (error is null)
                    && (credential is null || (credential.Token.Length > 0 && credential.Connectors.Count > 0
                        && credential.Connectors.All(k => k.Namespace.Length > 0 && k.Name.Length > 0 && !k.Name.Contains('/') && !k.Namespace.Contains('/'))));
            },
            iter: Iterations,
            threads: 1);

    [Test]
    public void ReadProxyCredential_WellFormed_RoundTrips() =>
        Gen.Select(Keys, Token, EntryForm, Gen.OneOf("Basic", "basic", "BASIC", "bAsIc"), Gen.OneOf(" ", "  "), Gen.Bool).Sample(
            (keys, token, form, scheme, gap, emptyEntry) =>
            {
                var user = string.Join(',', keys.Select(k => form.Before + k.Namespace + form.Slash + k.Name + form.After)) + (emptyEntry ? ", ," : string.Empty);
                var (credential, error) = ClientCredentials.ReadProxyCredential(scheme + gap + B64(user + ":" + token) + " ");
                return error is null && credential is not null && credential.Token == token && credential.Connectors.SequenceEqual(keys);
            },
            iter: Iterations,
            threads: 1);

    [Test]
    public void ReadProxyCredential_BadUserOrScheme_ErrorNeverShowsToken() =>
        Gen.Select(Gen.Char["abc/%2F,. -"].Array[0, 30], Gen.Char['g', 'z'].Array[12, 40], Gen.OneOf("Basic ", "Bearer ", "Digest "))
            .Sample(
                (user, secret, scheme) =>
                {
                    // The token's letters (g-z) never occur in the user's alphabet, so an error showing the user does not show it.
                    var token = "tok-" + new string(secret);
                    var (credential, error) = ClientCredentials.ReadProxyCredential(scheme + B64(new string(user) + ":" + token));
                    return credential is not null || (error is not null && !error.Contains(token, StringComparison.Ordinal) && !error.Contains(new string(secret), StringComparison.Ordinal));
                },
                iter: Iterations,
                threads: 1);

    [TestCase("Basic " + "bnMvYTp0b2s=", "ns", "a", "tok")]
    [TestCase("BASIC   bnMvYTp0b2s=  ", "ns", "a", "tok")]
    public void ReadProxyCredential_Examples_Parsed(string header, string ns, string name, string token)
    {
        var (credential, error) = ClientCredentials.ReadProxyCredential(header);
        Assert.That((error, credential?.Connectors.Single(), credential?.Token), Is.EqualTo(((string?)null, (ConnectorKey?)new ConnectorKey(ns, name), token)));
    }
}
