using System.Reflection;
using System.Text;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Json;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Tests.State;
using Sozu.Messages.Workers;
using Xunit;

namespace Sozu.Messages.Tests.Redaction;

/// <summary>
/// A private key never shows in a record's text form (what a log line or an error message
/// prints) nor in a query_certificates answer; session-ticket keys show their names only.
/// A record's generated ToString prints every field, so each type holding a key is listed here.
/// </summary>
public class SecretRedactionTests
{
    [Fact]
    public void CertificateAndKey_ToString_ShowsEverythingButTheKey()
    {
        var certificate = TestCertificates.A with { Names = ValueList<string>.Of("a.example.com") };
        var text = certificate.ToString();
        AssertNoKey(certificate.Key, text);
        Assert.Contains("Key = <redacted>", text, StringComparison.Ordinal);
        Assert.Contains("a.example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsAndCollectionsHoldingACertificate_PrintNoKey()
    {
        var a = TestCertificates.A;
        var b = TestCertificates.B;
        var add = new AddCertificate(Sample.HttpsAddress, a);
        var replace = new ReplaceCertificate(Sample.HttpsAddress, TestCertificates.FingerprintOf(a), b);
        var texts = new[]
        {
            add.ToString(), replace.ToString(),
            new WorkerRequest("w-1", add).ToString(),
            ValueList<ConfigRequest>.Of(add, replace).ToString(),
            new Sozu.Messages.Validation.CheckedCertificate("fp", a).ToString(),
            new Sozu.Messages.Json.Wire.AddCertificateData { Address = Sample.HttpsAddress, Certificate = a.Certificate, Key = a.Key }.ToString(),
        };
        foreach (var text in texts)
        {
            AssertNoKey(a.Key, text);
            AssertNoKey(b.Key, text);
        }
    }

    [Fact]
    public void StateHoldingCertificates_PrintsNoKey()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));
        AssertNoKey(TestCertificates.A.Key, string.Join("\n", state.ToRequests()));
    }

    [Fact]
    public void QueryCertificatesAnswer_CarriesNoKey()
    {
        var state = Sample.State()
            .Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A))
            .Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.B));
        var content = state.QueryCertificates(null, null);
        Assert.Equal(2, content.Certificates.Count);
        var json = Encoding.UTF8.GetString(CommandJson.SerializeAnswer(Answer.Ok("q", content)));
        AssertNoKey(TestCertificates.A.Key, json);
        AssertNoKey(TestCertificates.B.Key, json);
        Assert.DoesNotContain("PRIVATE KEY", json, StringComparison.Ordinal);
    }

    [Fact]
    public void SessionTicketKeys_ToString_ShowsTheNamesOnly()
    {
        var keys = SessionTicketKeys.Generate().Rotate();
        var text = keys.ToString();
        foreach (var key in new[] { keys.Current, keys.Previous })
        {
            var name = Convert.ToHexStringLower(key.AsSpan()[..SessionTicketKeys.NameLength]);
            Assert.Contains(name, text, StringComparison.Ordinal);
            // The HMAC and AES keys, in any of the forms a formatter might use.
            var secret = key.AsSpan()[SessionTicketKeys.NameLength..].ToArray();
            Assert.DoesNotContain(Convert.ToHexStringLower(secret[..8]), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(secret)[..12], text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[0].ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + secret[1].ToString(System.Globalization.CultureInfo.InvariantCulture) + ", ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SessionTicketKeys_RotateKeepsThePreviousKey_AndNewKeysAreRandom()
    {
        var first = SessionTicketKeys.Generate();
        Assert.Null(first.FindViolation());
        Assert.Empty(first.Previous);
        var second = first.Rotate();
        Assert.Equal(first.Current, second.Previous);
        Assert.NotEqual(first.Current, second.Current);
        Assert.Null(second.FindViolation());
        Assert.NotNull((second with { Previous = ValueList<byte>.Of(1, 2, 3) }).FindViolation());
    }

    /// <summary>
    /// A type added later that holds a key as text must override ToString; one that holds a
    /// CertificateAndKey or SessionTicketKeys prints it through their redacted ToString.
    /// </summary>
    [Fact]
    public void EveryTypeHoldingAKeyAsText_OverridesToString()
    {
        var holders = typeof(CertificateAndKey).Assembly.GetTypes()
            .Where(type => type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Any(HoldsAKey))
            .ToList();
        // The search finds what it must, or it proves nothing.
        Assert.Contains(typeof(CertificateAndKey), holders);
        Assert.Contains(typeof(Sozu.Messages.Json.Wire.AddCertificateData), holders);
        Assert.Contains(typeof(AddCertificate), holders);
        foreach (var type in holders)
        {
            var asText = type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(p => p.PropertyType == typeof(string) && p.Name == "Key");
            var overrides = type.GetMethod("ToString", Type.EmptyTypes)!.DeclaringType == type;
            Assert.True(!asText || overrides, $"{type.FullName} holds a key as text and does not override ToString");
        }
    }

    private static bool HoldsAKey(PropertyInfo property) =>
        property.PropertyType == typeof(CertificateAndKey)
        || property.PropertyType == typeof(SessionTicketKeys)
        || (property.PropertyType == typeof(string) && property.Name == "Key" && property.DeclaringType!.Name.Contains("Certificate", StringComparison.Ordinal));

    /// <summary>No line of the key's base64 body appears in <paramref name="text"/>.</summary>
    internal static void AssertNoKey(string key, string text)
    {
        foreach (var line in key.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("-----", StringComparison.Ordinal))
            {
                Assert.DoesNotContain(line, text, StringComparison.Ordinal);
            }
        }
    }
}
