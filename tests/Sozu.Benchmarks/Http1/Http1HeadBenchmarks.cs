using System.Text;
using BenchmarkDotNet.Attributes;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;

namespace Sozu.Benchmarks.Http1;

/// <summary>The per-request HTTP/1.1 work of the data plane, measured against the ~6 µs budget.</summary>
[MemoryDiagnoser]
public class Http1HeadBenchmarks
{
    // A typical browser navigation, about 500 bytes.
    private static readonly byte[] Request = Encoding.ASCII.GetBytes(
        "GET /products/category/shoes?page=2&sort=price HTTP/1.1\r\n" +
        "Host: www.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
        "Accept-Language: en-US,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Referer: https://www.example.com/products\r\n" +
        "Connection: keep-alive\r\n" +
        "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; SOZUBALANCEID=backend-3; theme=dark\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "Sec-Fetch-Dest: document\r\n" +
        "Sec-Fetch-Mode: navigate\r\n" +
        "Sec-Fetch-Site: same-origin\r\n" +
        "Priority: u=0, i\r\n\r\n");

    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\n" +
        "Date: Mon, 23 Nov 2026 14:00:00 GMT\r\n" +
        "Server: nginx\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Length: 15320\r\n" +
        "Cache-Control: private, max-age=0\r\n" +
        "ETag: \"5f2b-1a2b3c4d\"\r\n" +
        "Vary: Accept-Encoding\r\n" +
        "Connection: keep-alive\r\n\r\n");

    private static readonly byte[] ChunkedBody = Encoding.ASCII.GetBytes(
        "400\r\n" + new string('x', 1024) + "\r\n" + "400\r\n" + new string('y', 1024) + "\r\n" + "0\r\n\r\n");

    private readonly RequestHead _requestHead = new("SOZUBALANCEID");
    private readonly ResponseHead _responseHead = new();
    private readonly RequestIdGenerator _ids = new();
    private readonly byte[] _requestId = new byte[RequestIdGenerator.Length];
    private readonly byte[] _output = new byte[4096];
    private readonly byte[] _client = "192.0.2.44"u8.ToArray();
    private readonly byte[] _listener = "10.0.0.1"u8.ToArray();

    [GlobalSetup]
    public void Setup()
    {
        if (Http1Parser.ParseRequestHead(Request, _requestHead) != ParseStatus.Complete
            || Http1Parser.ParseResponseHead(Response, _responseHead, requestWasHead: false) != ParseStatus.Complete)
        {
            throw new InvalidOperationException("benchmark input does not parse");
        }
    }

    [Benchmark]
    public ParseStatus ParseRequestHead() => Http1Parser.ParseRequestHead(Request, _requestHead);

    [Benchmark]
    public int WriteForwardedRequestHead()
    {
        _ids.Next(_requestId);
        return RequestHeadWriter.Write(Request, _requestHead, new ForwardingContext(_client, _listener, 80, false, _requestId), _output);
    }

    [Benchmark]
    public ParseStatus ParseResponseHead() => Http1Parser.ParseResponseHead(Response, _responseHead, requestWasHead: false);

    [Benchmark]
    public int WriteForwardedResponseHead() =>
        ResponseHeadWriter.Write(Response, _responseHead, new ResponseContext(_requestId, false, false, default, default, default), _output);

    [Benchmark]
    public ChunkedScanStatus ScanChunkedBody()
    {
        var scanner = new ChunkedBodyScanner();
        return scanner.Scan(ChunkedBody, out _);
    }

    [Benchmark]
    public int Write404() => AnswerSet.Default.Write(404, _output, new AnswerContext(_requestId));
}
