using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;
using Sozu.Net.Routing;
using Sozu.Net.Sockets;

namespace Sozu.Net.Http1.Proxying;

/// <summary>Reading, routing and editing a request head.</summary>
internal sealed partial class Http1Stage
{
    private Step ReadRequest()
    {
        var front = Session.Front;
        if (_stashHoldsPipelined)
        {
            _stashHoldsPipelined = false;
            if (!Lease(ref _front))
            {
                return StartAnswer(503);
            }
            UnstashHead();
        }
        while (true)
        {
            if (_front is not null && !_front.IsEmpty)
            {
                _request ??= _http.RentRequestHead();
                switch (Http1Parser.ParseRequestHead(_front.Readable, _request))
                {
                    case ParseStatus.Complete:
                        return OnRequestHead();
                    case ParseStatus.Invalid:
                        return StartAnswer(400);
                    case ParseStatus.TooLarge:
                        return StartAnswer(431);
                    case ParseStatus.NotImplemented:
                        return StartAnswer(501);
                }
                if (_front.FreeSpace == 0)
                {
                    if (_front.Start == 0)
                    {
                        return StartAnswer(431);
                    }
                    _front.Compact();
                }
            }
            if (!front.IsReadable)
            {
                return ParkHead();
            }
            if (!Lease(ref _front))
            {
                return StartAnswer(503);
            }
            if (_stash is not null)
            {
                UnstashHead();
            }
            switch (front.Receive(_front!, out _))
            {
                case IoStatus.Done:
                    if (!_requestTimerArmed)
                    {
                        _requestTimerArmed = true;
                        ArmTimer(HttpTimer.Request, RequestTimeoutSeconds);
                    }
                    continue;
                case IoStatus.WouldBlock:
                    return ParkHead();
                default:
                    // The client closed or reset, idle or in the middle of a head: nothing to answer.
                    return Step.Close;
            }
        }
    }

    private int RequestTimeoutSeconds => Session.Listener.Config switch
    {
        Messages.Config.HttpListenerConfig http => http.RequestTimeout,
        Messages.Config.HttpsListenerConfig https => https.RequestTimeout,
        _ => Session.Listener.Config.FrontTimeout,
    };

    /// <summary>
    /// Nothing more to read for now. An idle connection gives its buffer back; one in the middle
    /// of a head is listed among the loop's incomplete heads (408 at once when its IP already
    /// has max_incomplete_heads_per_ip of them) and moves the bytes it sent from its pool buffer
    /// to a stash array of about their size, so a trickling client holds what it sent, not a
    /// buffer. The parser reads a head from its start each time, so nothing else is kept.
    /// </summary>
    private Step ParkHead()
    {
        if (_front is null || _front.IsEmpty)
        {
            ReleaseIdle();
            return Step.Wait;
        }
        var core = Session.Core;
        if (!core.IncompleteHeads.Enter(_headNode, Limits.ClientIp.Of(Session.Peer), core.Options.MaxIncompleteHeadsPerIp))
        {
            Session.Listener.Traffic.OverIpLimit++;
            core.Global.OverIpLimit++;
            return StartAnswer(408);
        }
        if (_front.Length <= Buffers.HeadStash.MaxLength)
        {
            StashFront();
            if (_request is not null)
            {
                _http.ReturnRequestHead(_request);
                _request = null;
            }
        }
        return Step.Wait;
    }

    /// <summary>Moves the client bytes from the pool buffer to a stash array of about their size.</summary>
    private void StashFront()
    {
        _stashLength = _front!.Length;
        _stash = Session.Core.HeadStash.Rent(_stashLength);
        _front.Readable.CopyTo(_stash);
        ReturnBuffer(ref _front);
    }

    /// <summary>Bytes arrive again: the stashed part of the head goes first in the fresh buffer.</summary>
    private void UnstashHead()
    {
        _stash.AsSpan(0, _stashLength).CopyTo(_front!.Writable);
        _front.End += _stashLength;
        DropStash();
    }

    private void DropStash()
    {
        _stashHoldsPipelined = false;
        if (_stash is not null)
        {
            Session.Core.HeadStash.Return(_stash);
            _stash = null;
            _stashLength = 0;
        }
    }

    /// <summary>The buffer pool runs low and this head is among the oldest: 408 best effort, then close.</summary>
    public void EvictIncompleteHead()
    {
        _status = 408;
        if (!_idAssigned)
        {
            Session.Core.RequestIds.Next(_requestId);
            _idAssigned = true;
        }
        CountAnswer();
        Span<byte> answer = stackalloc byte[2048];
        var length = _http.Answers[408].Write(answer, new Answers.AnswerContext(_requestId));
        if (length > 0)
        {
            Session.Front.SendBestEffort(answer[..length]);
        }
        Session.Close();
    }

    /// <summary>An idle keep-alive connection holds no buffer and no head.</summary>
    private void ReleaseIdle()
    {
        if (_front is not null && _front.IsEmpty)
        {
            ReturnBuffer(ref _front);
            if (_request is not null)
            {
                _http.ReturnRequestHead(_request);
                _request = null;
            }
        }
    }

    private Step OnRequestHead()
    {
        var core = Session.Core;
        core.IncompleteHeads.Leave(_headNode);
        var head = _request!;
        var source = _front!.Readable;
        _requestStartMs = core.Loop.NowMs;
        _requestStartMicros = core.Loop.NowMicros;
        _frontReceivedAtStart = Session.Front.BytesReceived - _front.Length;
        _frontSentAtStart = Session.Front.BytesSent;
        Session.Listener.Traffic.Requests++;
        core.Global.Requests++;
        _clientKeepAlive = head.KeepAlive && !_draining;
        _clientHttp10 = head.Version == HttpVersion.Http10;
        _isHeadRequest = head.IsHeadMethod;
        _isUpgrade = head.IsUpgrade;
        _status = 0;
        _responseStarted = false;
        core.RequestIds.Next(_requestId);
        _idAssigned = true;
        CaptureForAccessLog(source, head);

        var route = _http.Router.Lookup(head.RoutingHost.Of(source), head.Path.Of(source), head.Method.Of(source));
        if (route.Kind == RouteKind.NoRoute)
        {
            return StartAnswer(404);
        }
        if (route.Kind == RouteKind.Deny)
        {
            return StartAnswer(401);
        }
        _target = route.Target;
        _cluster = core.FindCluster(route.ClusterId!);
        if (_cluster is null)
        {
            return StartAnswer(503);
        }
        if (_cluster.Config.HttpsRedirect && !_http.IsHttps)
        {
            return StartAnswer(301, head.RoutingHost.Of(source), head.PathAndQuery.Of(source));
        }
        if (!Session.TryEnterCluster(_cluster))
        {
            return StartAnswer(429);
        }

        if (!Lease(ref _requestOut))
        {
            return StartAnswer(503);
        }
        if (_clientAddressLength < 0)
        {
            _clientAddressLength = Session.Peer.TryFormatIp(_clientAddressText, out var length) ? length : 0;
        }
        var context = new ForwardingContext(((ReadOnlySpan<byte>)_clientAddressText)[.._clientAddressLength], _http.ListenerAddressText, _http.ForwardedPort, _http.IsHttps, _requestId);
        var written = RequestHeadWriter.Write(source, head, context, _requestOut!.All);
        if (written == RequestHeadWriter.DoesNotFit)
        {
            return StartAnswer(431);
        }
        _requestOut.Start = 0;
        _requestOut.End = written;
        _requestOutSent = 0;
        _requestBody.Start(head.Body, head.ContentLength);
        _requestBodySent = 0;
        PickSticky(source, head);

        _front.Consume(head.HeadEnd);
        _http.ReturnRequestHead(head);
        _request = null;
        _frontBody = 0;
        if (!FrameFront())
        {
            return StartAnswer(400);
        }
        _attempts = 0;
        _staleRetried = false;
        _excluded = null;
        return StartBackend(_sticky, forceNew: false);
    }

    /// <summary>Marks the client bytes that belong to the request body; false for broken chunking.</summary>
    private bool FrameFront()
    {
        if (_front is null || _requestBody.Done || _frontBody >= _front.Length)
        {
            return true;
        }
        var framed = _requestBody.Frame(_front.Readable[_frontBody..]);
        if (framed < 0)
        {
            return false;
        }
        _frontBody += framed;
        return true;
    }

    /// <summary>Sticky sessions: the backend named by the request's cookie, when it is still there and up.</summary>
    private void PickSticky(ReadOnlySpan<byte> source, RequestHead head)
    {
        _sticky = null;
        _setStickyCookie = false;
        if (_cluster is null || !_cluster.Config.StickySession)
        {
            return;
        }
        _setStickyCookie = true;
        if (head.StickyCookie.IsEmpty)
        {
            return;
        }
        _sticky = _cluster.FindSticky(head.StickyCookie.Of(source), Session.Core.Loop.NowMs);
        _setStickyCookie = _sticky is null;
    }
}
