using Sozu.Net.Http1.Editing;
using Sozu.Net.Http1.Parsing;
using Sozu.Net.Metrics;
using Sozu.Net.Sockets;
using Sozu.Net.Tcp;

namespace Sozu.Net.Http1.Proxying;

/// <summary>The exchange: request head and body to the backend, response head and body to the client, both at once.</summary>
internal sealed partial class Http1Stage
{
    private Step Exchange()
    {
        var moved = false;
        while (true)
        {
            var progress = false;
            var step = PumpRequest(ref progress);
            if (step != Step.Continue)
            {
                return step;
            }
            step = PumpResponse(ref progress);
            if (step != Step.Continue)
            {
                return step;
            }
            if (!progress)
            {
                break;
            }
            moved = true;
        }
        if (moved)
        {
            // Activity pushes the deadline; the wheel re-files the node only when its slot comes.
            ArmTimer(HttpTimer.Exchange, Session.Listener.Config.BackTimeout);
        }
        return Step.Wait;
    }

    private Step PumpRequest(ref bool progress)
    {
        var back = _connection!.Socket;
        if (_proxyHeaderSent < _proxyHeaderLength)
        {
            if (!back.IsWritable)
            {
                return Step.Continue;
            }
            if (back.Send(((ReadOnlySpan<byte>)_proxyHeader)[_proxyHeaderSent.._proxyHeaderLength], out var headerSent) == IoStatus.Error)
            {
                return BackendFailed(connectFailure: false);
            }
            _proxyHeaderSent += headerSent;
            progress |= headerSent > 0;
            if (_proxyHeaderSent < _proxyHeaderLength)
            {
                return Step.Continue;
            }
        }
        if (_requestOut is not null && _requestOutSent < _requestOut.End)
        {
            if (!back.IsWritable)
            {
                return Step.Continue;
            }
            if (_requestOutSent == 0 && _frontBody > 0)
            {
                // Head and body in one send; a retry resends both, so the body stays retryable.
                MoveBody(_front!, ref _frontBody, _requestOut);
            }
            unsafe
            {
                if (back.Send(_requestOut.Data + _requestOutSent, _requestOut.End - _requestOutSent, out var sent) == IoStatus.Error)
                {
                    return BackendFailed(connectFailure: false);
                }
                _requestOutSent += sent;
                progress |= sent > 0;
            }
            if (_requestOutSent < _requestOut.End)
            {
                return Step.Continue;
            }
            if (!_connection.Reused && !_requestBody.Done)
            {
                // Body bytes follow: once one is sent the request cannot be replayed, the head can go.
                // Without a body it is kept until the response head, for a retry after a reset.
                ReturnBuffer(ref _requestOut);
            }
        }
        if (_frontBody > 0 && back.IsWritable)
        {
            if (back.Send(_front!, _frontBody, out var sent) == IoStatus.Error)
            {
                return _requestBodySent == 0 ? BackendFailed(connectFailure: false) : FailExchange();
            }
            _frontBody -= sent;
            _requestBodySent += sent;
            progress |= sent > 0;
        }
        var front = Session.Front;
        if (!_requestBody.Done && front.IsReadable && (_front is null || _front.FreeSpace > 0 || _front.Start > 0))
        {
            if (!Lease(ref _front))
            {
                return _responseStarted ? Step.Close : StartAnswer(503);
            }
            if (_front!.FreeSpace == 0)
            {
                _front.Compact();
            }
            switch (front.Receive(_front, out _))
            {
                case IoStatus.Done:
                    progress = true;
                    if (!FrameFront())
                    {
                        // Broken chunking from the client: nothing past the last good chunk was sent.
                        return _responseStarted ? Step.Close : StartAnswer(400);
                    }
                    break;
                case IoStatus.Closed:
                case IoStatus.Error:
                    // The client left in the middle of its upload.
                    return Step.Close;
            }
        }
        if (_front is not null && _front.IsEmpty)
        {
            ReturnBuffer(ref _front);
        }
        else if (_front is not null && _requestBody.Done && _frontBody == 0 && !_isUpgrade && _stash is null
            && _front.Length <= Buffers.HeadStash.MaxLength)
        {
            // Pipelined requests read with this one wait for its response in a stash, not in a
            // buffer: a slow reader pipelining 3 requests held 2 buffers, and 500 of them (slowhttptest -X -k 3)
            // emptied the default pool of 1,000.
            StashFront();
            _stashHoldsPipelined = true;
        }
        return Step.Continue;
    }

    private Step PumpResponse(ref bool progress)
    {
        var front = Session.Front;
        if (_responseOut is not null)
        {
            if (!_responseOut.IsEmpty)
            {
                if (_backBody > 0)
                {
                    // Head and first body bytes in one send. strace over wrk: 3 sends per
                    // request with the head sent apart, 2 with this copy.
                    MoveBody(_back!, ref _backBody, _responseOut);
                }
                if (!front.IsWritable)
                {
                    return Step.Continue;
                }
                if (front.Send(_responseOut, _responseOut.Length, out var sent) == IoStatus.Error)
                {
                    return Step.Close;
                }
                progress |= sent > 0;
                if (!_responseOut.IsEmpty)
                {
                    return Step.Continue;
                }
            }
            ReturnBuffer(ref _responseOut);
        }
        if (_backBody > 0)
        {
            if (!front.IsWritable)
            {
                return Step.Continue;
            }
            if (front.Send(_back!, _backBody, out var sent) == IoStatus.Error)
            {
                return Step.Close;
            }
            _backBody -= sent;
            progress |= sent > 0;
            if (_backBody > 0)
            {
                return Step.Continue;
            }
        }
        if (_responsePhase == ResponsePhase.Done)
        {
            return FinishExchange();
        }
        if (_back is not null && _back.IsEmpty)
        {
            ReturnBuffer(ref _back);
        }

        var back = _connection!.Socket;
        if (back.IsReadable && (_back is null || _back.FreeSpace > 0 || _back.Start > 0))
        {
            if (!Lease(ref _back))
            {
                return _responseStarted ? Step.Close : StartAnswer(503);
            }
            if (_back!.FreeSpace == 0)
            {
                _back.Compact();
            }
            var status = back.Receive(_back, out _);
            if (status == IoStatus.Done)
            {
                progress = true;
            }
            else if (status is IoStatus.Closed or IoStatus.Error)
            {
                if (_responsePhase == ResponsePhase.Head && !_responseStarted && _back.IsEmpty)
                {
                    // Closed before answering: a stale pooled connection, or a backend that died.
                    return BackendFailed(connectFailure: false);
                }
                if (_responsePhase == ResponsePhase.Head || status == IoStatus.Error || !_responseBody.EndOfStream())
                {
                    return _responseStarted ? Step.Close : StartAnswer(502);
                }
                _backendReusable = false;
                _responsePhase = ResponsePhase.Done;
                progress = true;
            }
        }

        if (_responsePhase == ResponsePhase.Head && _back is not null && !_back.IsEmpty)
        {
            var step = ParseResponseHead(ref progress);
            if (step != Step.Continue)
            {
                return step;
            }
        }
        if (_responsePhase == ResponsePhase.Body && _back is not null && _backBody < _back.Length)
        {
            var framed = _responseBody.Frame(_back.Readable[_backBody..]);
            if (framed < 0)
            {
                return MalformedResponse();
            }
            _backBody += framed;
            progress |= framed > 0;
            if (_responseBody.Done)
            {
                _responsePhase = ResponsePhase.Done;
                if (_backBody < _back.Length)
                {
                    // Bytes after the end of the response: the backend broke framing, do not reuse it.
                    _backendReusable = false;
                }
            }
        }
        return Step.Continue;
    }

    private Step ParseResponseHead(ref bool progress)
    {
        _response ??= _http.RentResponseHead();
        var source = _back!.Readable;
        switch (Http1Parser.ParseResponseHead(source, _response, _isHeadRequest))
        {
            case ParseStatus.Incomplete:
                return _back.FreeSpace == 0 && _back.Start == 0 ? StartAnswer(502) : Step.Continue;
            case ParseStatus.Invalid:
                return MalformedResponse();
            case ParseStatus.TooLarge:
            case ParseStatus.NotImplemented:
                return StartAnswer(502);
        }
        var head = _response;
        if (!head.IsInterim)
        {
            var backend = _connection!.Backend;
            var now = Session.Core.Loop.NowMs;
            backend.RecordResponseTime(now - _backendStartMs, now);
            RecordResponseTime(backend);
            Session.Core.Events.BackendSucceeded(backend);
        }
        // The request went through: no retry from here on, its edited head can go.
        if (_requestOut is not null && _requestOutSent >= _requestOut.End)
        {
            ReturnBuffer(ref _requestOut);
        }
        if (head.IsInterim)
        {
            // 100 Continue and friends: forwarded as they come, then the real head follows.
            if (!WriteResponseHead(source, head, closeClient: false))
            {
                return StartAnswer(502);
            }
            _back.Consume(head.HeadEnd);
            progress = true;
            return Step.Continue;
        }
        if (head.StatusCode == 101)
        {
            return _isUpgrade ? SwitchToPipe(source, head) : StartAnswer(502);
        }
        _status = head.StatusCode;
        _closeAfterResponse = !_clientKeepAlive || _draining || head.Body == BodyKind.CloseDelimited;
        if (!WriteResponseHead(source, head, _closeAfterResponse))
        {
            return StartAnswer(502);
        }
        _responseStarted = true;
        _backendReusable = head.KeepAlive;
        _responseBody.Start(head.Body, head.ContentLength);
        _back.Consume(head.HeadEnd);
        _http.ReturnResponseHead(head);
        _response = null;
        _responsePhase = _responseBody.Done ? ResponsePhase.Done : ResponsePhase.Body;
        if (_responseBody.Done && !_back.IsEmpty)
        {
            _backendReusable = false;
        }
        progress = true;
        return Step.Continue;
    }

    /// <summary>Edits a response head into <see cref="_responseOut"/>, appended after anything still unsent there.</summary>
    private bool WriteResponseHead(ReadOnlySpan<byte> source, ResponseHead head, bool closeClient)
    {
        if (!Lease(ref _responseOut))
        {
            return false;
        }
        var hsts = _http.IsHttps && _target?.StrictTransportSecurity is { } line ? line : default(ReadOnlySpan<byte>);
        // Also when the cookie's backend failed and another one answered: the cookie must follow.
        var setCookie = _connection is not null && (_setStickyCookie || (_sticky is not null && _connection.Backend != _sticky));
        var context = new ResponseContext(
            _requestId, closeClient, _clientHttp10, hsts,
            setCookie ? _http.StickyNameBytes : default,
            setCookie ? _connection!.Backend.StickyIdBytes : default);
        _responseOut!.Compact();
        var written = ResponseHeadWriter.Write(source, head, context, _responseOut.Writable);
        if (written == ResponseHeadWriter.DoesNotFit)
        {
            return false;
        }
        _responseOut.End += written;
        return true;
    }

    /// <summary>101 to an upgrade request: the connection becomes a byte pipe (WebSocket).</summary>
    private Step SwitchToPipe(ReadOnlySpan<byte> source, ResponseHead head)
    {
        _status = 101;
        if (!WriteResponseHead(source, head, closeClient: false))
        {
            return StartAnswer(502);
        }
        _back!.Consume(head.HeadEnd);
        // Bytes the backend sent right after its 101 go out after the head, in order.
        if (!_back.IsEmpty)
        {
            if (_back.Length > _responseOut!.FreeSpace)
            {
                return StartAnswer(502);
            }
            _back.Readable.CopyTo(_responseOut.Writable);
            _responseOut.End += _back.Length;
        }
        ReturnBuffer(ref _back);
        ReturnBuffer(ref _requestOut);
        ReturnHeads();
        Backends.BackendPool.EndRequest(_connection!);
        CountExchange(_connection!.Backend);
        LogRequest(AccessLogProtocol.WebSocket);
        Session.CancelTimer();
        Next = new PipeStage(Session, _connection, _cluster, AccessLogProtocol.WebSocket, _front, _responseOut);
        _connection = null;
        _front = null;
        _responseOut = null;
        return Step.Upgrade;
    }

    /// <summary>The response reached the client: give the backend connection back, then the next request or close.</summary>
    private Step FinishExchange()
    {
        var connection = _connection!;
        var reusable = _backendReusable && _requestBody.Done && _frontBody == 0
            && (_back is null || _back.IsEmpty) && _requestOut is null;
        CountExchange(connection.Backend);
        RecordRequestTime(connection.Backend);
        LogRequest(_http.IsHttps ? AccessLogProtocol.Https : AccessLogProtocol.Http);
        if (reusable && connection.CarriesProxyHeader && !_closeAfterResponse && !_draining)
        {
            // It told its backend who this client is: kept for this session only, never pooled.
            _ownBackend = Session.Core.BackendPool.Hold(connection) ? connection : null;
        }
        else
        {
            Session.Core.BackendPool.Release(connection, reusable);
        }
        _connection = null;
        ReturnBuffer(ref _back);
        ReturnBuffer(ref _requestOut);
        ReturnBuffer(ref _responseOut);
        ReturnHeads();
        if (_closeAfterResponse || !_requestBody.Done || _draining)
        {
            return Step.Close;
        }
        _servedOne = true;
        _phase = HttpPhase.RequestHead;
        _requestTimerArmed = false;
        _idAssigned = false;
        _cluster = null;
        _target = null;
        ArmTimer(HttpTimer.FrontIdle, Session.Listener.Config.FrontTimeout);
        return Step.Next;
    }

    /// <summary>A broken exchange: answer 502 if the client has seen nothing yet, else just close.</summary>
    private Step FailExchange() => _responseStarted ? Step.Close : StartAnswer(502);

    /// <summary>
    /// The backend broke HTTP (status line, a field, Transfer-Encoding, chunk framing): nothing
    /// more of its response is forwarded and its connection is closed, never pooled (whatever it
    /// sends next cannot be trusted to start a response). The client gets a 502 while none of
    /// this response has reached it (a bad first chunk read with the head is caught before the
    /// head is sent), else its connection is closed: a truncated response, never a wrong one.
    /// </summary>
    private Step MalformedResponse()
    {
        CountMalformedResponse(_connection!.Backend);
        if (Session.Front.BytesSent != _frontSentAtStart)
        {
            return Step.Close;
        }
        _responseStarted = false;
        return StartAnswer(502);
    }

    /// <summary>Moves framed body bytes from the front of <paramref name="from"/> to the end of <paramref name="to"/>, as many as fit.</summary>
    private static void MoveBody(Buffers.PooledBuffer from, ref int framed, Buffers.PooledBuffer to)
    {
        var take = Math.Min(framed, to.FreeSpace);
        if (take <= 0)
        {
            return;
        }
        from.Readable[..take].CopyTo(to.Writable);
        to.End += take;
        from.Consume(take);
        framed -= take;
    }
}
