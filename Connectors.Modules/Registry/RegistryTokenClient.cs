using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Registry;

/// <summary>
/// Gets a bearer token from a registry's token service, as the distribution token authentication spec describes:
/// <c>GET &lt;realm&gt;?service=&lt;service&gt;&amp;scope=&lt;scope&gt;...</c> with the account as Basic credentials
/// (none for anonymous access); the answer is JSON with <c>token</c> or <c>access_token</c> and <c>expires_in</c>
/// (seconds; absent or below 60 means 60, as the spec and Docker's client do; above a day means a day). The credential goes only to an http(s)
/// realm, and never over plain http when the registry itself is https.
/// </summary>
internal sealed partial class RegistryTokenClient(IOptions<RegistryOptions> options, TimeProvider timeProvider, ILogger<RegistryTokenClient> logger)
{
    /// <summary>The shortest lifetime a token is given (distribution token spec, <c>expires_in</c>).</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest lifetime a token is kept for, whatever <c>expires_in</c> says: a registry's answer of years (or
    /// of more seconds than a date can hold) must neither overflow the expiry nor keep a token past a day.
    /// </summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromHours(24);

    private const int MaxAnswerBytes = 1 << 20;

    /// <summary>
    /// Asks the token service of <paramref name="challenge"/> for <paramref name="scopes"/> on behalf of
    /// <paramref name="credential"/> (null: anonymous), through <paramref name="invoker"/>.
    /// </summary>
    public async Task<TokenFetch> FetchAsync(
        HttpMessageInvoker invoker, Uri registry, AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(scopes);
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttp && realm.Scheme != Uri.UriSchemeHttps))
        {
            return TokenFetch.Failed(null, "the registry's Bearer challenge names no http(s) realm");
        }

        if (credential is not null && registry.Scheme == Uri.UriSchemeHttps && realm.Scheme == Uri.UriSchemeHttp)
        {
            return TokenFetch.Failed(null, $"the token service {Origin(realm)} is plain http while the registry is https: the credential is not sent there");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, TokenUrl(realm, challenge.Service, scopes));
        request.Headers.Accept.ParseAdd("application/json");
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", credential.BasicAuthorization);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.TokenTimeout);
        try
        {
            using var response = await invoker.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is < 200 or >= 300)
            {
                Log.Refused(logger, Origin(realm), status, string.Join(' ', scopes));
                return TokenFetch.Failed(status, $"the token service {Origin(realm)} answered {status}");
            }

            var body = await ReadBoundedAsync(response.Content, timeout.Token);
            var token = Parse(body, timeProvider.GetUtcNow(), options.Value.ExpiryMargin, out var error);
            if (token is null)
            {
                return TokenFetch.Failed(status, $"the token service {Origin(realm)} answered without a usable token: {error}");
            }

            Log.Fetched(logger, Origin(realm), string.Join(' ', scopes), token.Value.ExpiresAt);
            return new TokenFetch(token, status, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TokenFetch.Failed(null, $"the token service {Origin(realm)} did not answer within {options.Value.TokenTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return TokenFetch.Failed(null, $"the token service {Origin(realm)} could not be reached: {e.HttpRequestError}");
        }
    }

    /// <summary>The token request URL: the realm's own query kept, <c>service</c> and one <c>scope</c> per scope added.</summary>
    public static Uri TokenUrl(Uri realm, string? service, IReadOnlyList<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(scopes);
        var builder = new StringBuilder(realm.GetLeftPart(UriPartial.Query));
        var separator = realm.Query.Length > 1 ? '&' : '?';
        if (realm.Query == "?")
        {
            builder.Length--;
        }

        if (!string.IsNullOrEmpty(service))
        {
            builder.Append(separator).Append("service=").Append(Uri.EscapeDataString(service));
            separator = '&';
        }

        foreach (var scope in scopes)
        {
            builder.Append(separator).Append("scope=").Append(Uri.EscapeDataString(scope));
            separator = '&';
        }

        return new Uri(builder.ToString());
    }

    /// <summary>Reads the token answer; null with <paramref name="error"/> when it is not JSON or holds no token.</summary>
    public static RegistryToken? Parse(ReadOnlySpan<byte> json, DateTimeOffset now, TimeSpan margin, out string? error)
    {
        error = null;
        string? token = null, accessToken = null;
        double? expiresIn = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "token" when reader.TokenType == JsonTokenType.String:
                        token = reader.GetString();
                        break;
                    case "access_token" when reader.TokenType == JsonTokenType.String:
                        accessToken = reader.GetString();
                        break;
                    case "expires_in" when reader.TokenType == JsonTokenType.Number:
                        expiresIn = reader.GetDouble();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            error = "not valid JSON";
            return null;
        }

        // The spec: access_token is the OAuth 2 name; when both are present they are the same token.
        var value = string.IsNullOrEmpty(token) ? accessToken : token;
        if (string.IsNullOrEmpty(value))
        {
            error = "neither \"token\" nor \"access_token\" is set";
            return null;
        }

        if (Model.HeaderValue.BreaksHeader(value))
        {
            // It goes in an Authorization header, which is added without validation.
            error = "the token holds a line break or NUL";
            return null;
        }

        // Clamped before any date arithmetic: NaN cannot come from JSON, but an infinite or huge number can.
        var lifetime = expiresIn is not { } seconds || !(seconds >= MinimumLifetime.TotalSeconds)
            ? MinimumLifetime
            : seconds >= MaximumLifetime.TotalSeconds ? MaximumLifetime : TimeSpan.FromSeconds(seconds);
        var usable = lifetime - TimeSpan.FromTicks(Math.Min(margin.Ticks, lifetime.Ticks / 2));
        return new RegistryToken(value, now + usable);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "token answer larger than 1 MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private static partial class Log
    {
        [LoggerMessage(6501, LogLevel.Debug, "Registry token from {Realm} for scopes [{Scopes}], used until {ExpiresAt:O}")]
        public static partial void Fetched(ILogger logger, string realm, string scopes, DateTimeOffset expiresAt);

        [LoggerMessage(6502, LogLevel.Warning, "Registry token service {Realm} answered {StatusCode} for scopes [{Scopes}]")]
        public static partial void Refused(ILogger logger, string realm, int statusCode, string scopes);
    }
}
