using System.Net;
using System.Text;
using Sozu.Messages.Config;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Http1.Parsing;
using Sozu.Net.Routing;
using Sozu.Net.Worker;

namespace Sozu.Net.Listeners;

/// <summary>What an HTTP or HTTPS listener adds to a listener: its routes, its answers, and the bytes its forwarding headers reuse.</summary>
internal sealed class HttpListenerState
{
    private readonly Stack<RequestHead> _requestHeads = new();
    private readonly Stack<ResponseHead> _responseHeads = new();

    private HttpListenerState(AnswerSet answers, bool isHttps, string stickyName, IPEndPoint address, int forwardedPort, HstsConfig? hsts)
    {
        // Frontends without their own HSTS policy inherit the HTTPS listener's.
        Router = new Router(hsts);
        Hsts = hsts;
        Answers = answers;
        IsHttps = isHttps;
        StickyName = stickyName;
        StickyNameBytes = Encoding.ASCII.GetBytes(stickyName);
        ListenerAddressText = Encoding.ASCII.GetBytes(address.Address.ToString());
        ForwardedPort = forwardedPort;
    }

    public Router Router { get; }

    public AnswerSet Answers { get; private set; }

    public bool IsHttps { get; }

    /// <summary>The HTTPS listener's HSTS policy (null on HTTP), inherited by frontends without their own.</summary>
    public HstsConfig? Hsts { get; private set; }

    public string StickyName { get; private set; }

    public byte[] StickyNameBytes { get; private set; }

    /// <summary>The listener's IP as text, for Forwarded "by=".</summary>
    public byte[] ListenerAddressText { get; }

    /// <summary>The port clients connect to (of public_address when set): X-Forwarded-Port.</summary>
    public int ForwardedPort { get; private set; }

    /// <summary>Heads are leased per request like buffers (about 2 KiB each), so idle connections hold none.</summary>
    public RequestHead RentRequestHead() => _requestHeads.Count > 0 ? _requestHeads.Pop() : new RequestHead(StickyName);

    public void ReturnRequestHead(RequestHead head)
    {
        // A head parses the sticky cookie it was made for: one leased before a rename is dropped.
        if (head.StickyCookieName.SequenceEqual(StickyNameBytes))
        {
            _requestHeads.Push(head);
        }
    }

    public ResponseHead RentResponseHead() => _responseHeads.Count > 0 ? _responseHeads.Pop() : new ResponseHead();

    public void ReturnResponseHead(ResponseHead head) => _responseHeads.Push(head);

    /// <param name="retryAfterSeconds">The Retry-After of the built-in 429 (per-IP cap); 0 leaves it out. An operator's own 429 wins.</param>
    public static bool TryCreate(ListenerConfig config, int retryAfterSeconds, out HttpListenerState state, out string error)
    {
        var (answers, isHttps, stickyName, hsts) = config switch
        {
            HttpListenerConfig http => (http.Answers, false, http.StickyName, (HstsConfig?)null),
            HttpsListenerConfig https => (https.Answers, true, https.StickyName, https.Hsts),
            _ => throw new ArgumentException("not an HTTP listener", nameof(config)),
        };
        AnswerSet built;
        try
        {
            built = AnswerSet.Create(answers.ContainsKey("429") ? answers : answers.With("429", DefaultAnswers.TooManyConnections(retryAfterSeconds)));
        }
        catch (ArgumentException e)
        {
            state = null!;
            error = e.Message;
            return false;
        }
        if (!IPEndPoint.TryParse(config.Address, out var address))
        {
            state = null!;
            error = $"'{config.Address}' is not an ip:port address";
            return false;
        }
        var forwardedPort = address.Port;
        if (config.PublicAddress is { } publicAddress)
        {
            if (!IPEndPoint.TryParse(publicAddress, out var parsedPublic))
            {
                state = null!;
                error = $"public_address '{publicAddress}' is not an ip:port address";
                return false;
            }
            forwardedPort = parsedPublic.Port;
        }
        state = new HttpListenerState(built, isHttps, stickyName, address, forwardedPort, hsts);
        error = "";
        return true;
    }

    /// <summary>
    /// update_*_listener: takes what a state built from the updated configuration holds (answers,
    /// sticky name, forwarded port, HSTS), keeping the routes, so every option applies to the
    /// frontends already there and to the connections already open from their next request.
    /// </summary>
    public void UpdateFrom(HttpListenerState updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        Answers = updated.Answers;
        ForwardedPort = updated.ForwardedPort;
        if (!string.Equals(StickyName, updated.StickyName, StringComparison.Ordinal))
        {
            StickyName = updated.StickyName;
            StickyNameBytes = updated.StickyNameBytes;
            _requestHeads.Clear();
        }
        Hsts = updated.Hsts;
        Router.SetListenerHsts(updated.Hsts);
    }

    public ApplyResult AddFrontend(HttpFrontend frontend)
    {
        try
        {
            Router.Add(frontend);
            return ApplyResult.Success;
        }
        catch (ArgumentException e)
        {
            return ApplyResult.Failure(e.Message);
        }
    }

    public ApplyResult RemoveFrontend(HttpFrontend frontend) =>
        Router.Remove(frontend)
            ? ApplyResult.Success
            : ApplyResult.Failure($"no frontend for {frontend.Hostname} path '{frontend.Path.Value}' on {frontend.Address}");
}
