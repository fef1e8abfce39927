using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Xunit;

namespace Sozu.Messages.Tests.State;

public class ConfigStateCertificateTests
{
    [Fact]
    public void Apply_AddCertificateWithoutNames_StoresTheCnAndSans()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var stored = state.CertificatesOf(Sample.HttpsAddress)[TestCertificates.FingerprintOf(TestCertificates.A)];
        Assert.Equal(["a.example.com", "*.a.example.com"], stored.Names);
        Assert.Equal(1, state.CertificateCount);
    }

    [Fact]
    public void Apply_AddCertificateWhoseCnIsNoHostname_StoresOnlyTheSans()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.C));

        Assert.Equal(["c.example.com", "d.example.com"], state.CertificatesOf(Sample.HttpsAddress).Values.Single().Names);
    }

    [Fact]
    public void Apply_AddCertificateWithGivenNames_KeepsThem()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A with { Names = ValueList<string>.Of("x.example.com") }));

        Assert.Equal(["x.example.com"], state.CertificatesOf(Sample.HttpsAddress).Values.Single().Names);
    }

    [Fact]
    public void Apply_AddCertificateOnHttpListener_IsRefused()
    {
        var error = Sample.State().Refused(new AddCertificate(Sample.HttpAddress, TestCertificates.A));

        Assert.Contains("is http, not https", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddCertificateThatIsNotPem_IsRefused()
    {
        var error = Sample.State().Refused(new AddCertificate(Sample.HttpsAddress, TestCertificates.A with { Certificate = "hello" }));

        Assert.Contains("PEM", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddCertificateWithAnotherCertificatesKey_IsRefused()
    {
        var error = Sample.State().Refused(new AddCertificate(Sample.HttpsAddress, TestCertificates.A with { Key = TestCertificates.B.Key }));

        Assert.Contains("key does not match", error, StringComparison.Ordinal);
        Assert.Contains(TestCertificates.FingerprintOf(TestCertificates.A), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddCertificateWithBrokenChain_IsRefused()
    {
        var error = Sample.State().Refused(new AddCertificate(
            Sample.HttpsAddress,
            TestCertificates.A with { CertificateChain = ValueList<string>.Of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----") }));

        Assert.Contains("certificate_chain[0]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddCertificateWithBadName_IsRefused()
    {
        var error = Sample.State().Refused(new AddCertificate(Sample.HttpsAddress, TestCertificates.A with { Names = ValueList<string>.Of("a.*.com") }));

        Assert.Contains("names 'a.*.com'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AddSameCertificateTwice_IsANoOp()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var again = state.Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        Assert.Same(state, again);
    }

    [Fact]
    public void Apply_AddSameCertificateWithOtherNames_IsRefused()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var error = state.Refused(new AddCertificate(Sample.HttpsAddress, TestCertificates.A with { Names = ValueList<string>.Of("z.example.com") }));

        Assert.Contains("replace_certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReplaceCertificate_SwapsIt()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var after = state.Then(new ReplaceCertificate(Sample.HttpsAddress, TestCertificates.FingerprintOf(TestCertificates.A), TestCertificates.B));

        Assert.Equal([TestCertificates.FingerprintOf(TestCertificates.B)], after.CertificatesOf(Sample.HttpsAddress).Keys);
        Assert.Equal(1, after.CertificateCount);
    }

    [Fact]
    public void Apply_ReplaceUnknownFingerprint_IsRefused()
    {
        var error = Sample.State().Refused(new ReplaceCertificate(Sample.HttpsAddress, "abcd", TestCertificates.B));

        Assert.Contains("old_fingerprint 'abcd'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReplaceWithInvalidCertificate_IsRefused()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var error = state.Refused(new ReplaceCertificate(
            Sample.HttpsAddress, TestCertificates.FingerprintOf(TestCertificates.A), TestCertificates.B with { Key = TestCertificates.A.Key }));

        Assert.Contains("new_certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveUnknownCertificate_IsRefused()
    {
        var error = Sample.State().Refused(new RemoveCertificate(Sample.HttpsAddress, "abcd"));

        Assert.Contains("fingerprint 'abcd'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RemoveCertificate_RemovesIt()
    {
        var state = Sample.State().Then(new AddCertificate(Sample.HttpsAddress, TestCertificates.A));

        var after = state.Then(new RemoveCertificate(Sample.HttpsAddress, TestCertificates.FingerprintOf(TestCertificates.A)));

        Assert.Equal(Sample.State(), after);
    }
}
