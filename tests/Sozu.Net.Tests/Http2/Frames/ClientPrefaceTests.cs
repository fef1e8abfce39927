using System.Text;
using Sozu.Net.Http2.Frames;
using Xunit;

namespace Sozu.Net.Tests.Http2.Frames;

public class ClientPrefaceTests
{
    [Fact]
    public void Check_EveryProperPrefix_NeedsMore_TheWholePreface_IsValid()
    {
        var preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        Assert.Equal(ClientPreface.Length, preface.Length);
        for (var length = 0; length < preface.Length; length++)
        {
            Assert.Equal(PrefaceStatus.NeedMore, ClientPreface.Check(preface.AsSpan(0, length)));
        }
        Assert.Equal(PrefaceStatus.Valid, ClientPreface.Check(preface));
        Assert.Equal(PrefaceStatus.Valid, ClientPreface.Check([.. preface, 0, 0, 0, 4]));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\n")]
    [InlineData("\u0016\u0003\u0001")]
    public void Check_AnythingElse_IsInvalid_AsSoonAsOneByteDiffers(string input)
    {
        Assert.Equal(PrefaceStatus.Invalid, ClientPreface.Check(Encoding.Latin1.GetBytes(input)));
    }
}
