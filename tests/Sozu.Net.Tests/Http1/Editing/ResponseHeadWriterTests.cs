using System.Text;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Editing;

public class ResponseHeadWriterTests
{
    private const string Id = "01JDQ0000000000000000000AB";
    private const string Hsts = "Strict-Transport-Security: max-age=60\r\n";

    private static string Forward(string response, bool close = false, bool http10 = false, string hsts = "", string sticky = "", string stickyValue = "")
    {
        var source = Encoding.Latin1.GetBytes(response);
        var head = new ResponseHead();
        Assert.Equal(ParseStatus.Complete, Http1Parser.ParseResponseHead(source, head, requestWasHead: false));
        var destination = new byte[4096];
        var context = new ResponseContext(Encoding.ASCII.GetBytes(Id), close, http10, Encoding.ASCII.GetBytes(hsts),
            Encoding.ASCII.GetBytes(sticky), Encoding.ASCII.GetBytes(stickyValue));
        var written = ResponseHeadWriter.Write(source, head, context, destination);
        return written < 0 ? "<does not fit>" : Encoding.Latin1.GetString(destination, 0, written);
    }

    [Fact]
    public void Write_KeepAliveResponse_AddsOnlySozuId()
    {
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSozu-Id: " + Id + "\r\n\r\n",
            Forward("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nSozu-Id: backend\r\n\r\n"));
    }

    [Fact]
    public void Write_ClientAskedToClose_SaysConnectionClose()
    {
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSozu-Id: " + Id + "\r\nConnection: close\r\n\r\n",
            Forward("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", close: true));
    }

    [Fact]
    public void Write_CloseDelimitedBody_ClosesTheClientToo()
    {
        Assert.EndsWith("Connection: close\r\n\r\n", Forward("HTTP/1.1 200 OK\r\n\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Http10ClientKeptOpen_IsToldKeepAlive()
    {
        Assert.EndsWith("Connection: keep-alive\r\n\r\n", Forward("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", http10: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HstsAndStickyCookie_AreAdded()
    {
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nSozu-Id: " + Id + "\r\n" + Hsts + "Set-Cookie: SOZUBALANCEID=b1; Path=/\r\n\r\n",
            Forward("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", hsts: Hsts, sticky: "SOZUBALANCEID", stickyValue: "b1"));
    }

    [Fact]
    public void Write_BackendHsts_IsKept()
    {
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=1\r\nContent-Length: 0\r\nSozu-Id: " + Id + "\r\n\r\n",
            Forward("HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=1\r\nContent-Length: 0\r\n\r\n", hsts: Hsts));
    }

    [Fact]
    public void Write_SwitchingProtocols_KeepsUpgrade()
    {
        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\nSozu-Id: " + Id + "\r\nConnection: Upgrade\r\n\r\n",
            Forward("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\n\r\n"));
    }

    [Fact]
    public void Write_InterimContinue_GetsNoConnectionOrCookie()
    {
        Assert.Equal(
            "HTTP/1.1 100 Continue\r\nSozu-Id: " + Id + "\r\n\r\n",
            Forward("HTTP/1.1 100 Continue\r\n\r\n", close: true, hsts: Hsts, sticky: "S", stickyValue: "v"));
    }
}
