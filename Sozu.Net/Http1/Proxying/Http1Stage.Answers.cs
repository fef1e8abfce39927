using Sozu.Net.Backends;
using Sozu.Net.Http1.Answers;
using Sozu.Net.Http1.Parsing;
using Sozu.Net.Sockets;

namespace Sozu.Net.Http1.Proxying;

/// <summary>
/// The proxy's own answers, from the listener's (or the cluster's) <see cref="AnswerSet"/>.
/// After 404, 401 and 301 to a bodiless keep-alive request the connection goes on; after the
/// others (and custom answers saying "Connection: close") it closes gracefully.
/// </summary>
internal sealed partial class Http1Stage
{
    /// <summary>How long a closing connection keeps reading so the client receives the answer instead of a reset.</summary>
    private const int LingerSeconds = 1;

    private Step StartAnswer(int status, ReadOnlySpan<byte> redirectHost = default, ReadOnlySpan<byte> redirectTarget = default)
    {
        Session.Core.IncompleteHeads.Leave(_headNode);
        DropStash();
        if (_connection is not null)
        {
            Session.Core.BackendPool.Abort(_connection);
            _connection = null;
        }
        ReturnBuffer(ref _back);
        ReturnBuffer(ref _requestOut);
        ReturnBuffer(ref _responseOut);
        if (!_idAssigned)
        {
            Session.Core.RequestIds.Next(_requestId);
            _idAssigned = true;
        }
        var template = status == 503 && _cluster?.Answer503 is { } custom ? custom : _http.Answers[status];
        _status = status;
        CountAnswer();

        var request = _request;
        _answerKeepsAlive = request is not null && request.Body == BodyKind.None && request.KeepAlive && !_draining
            && !template.ClosesConnection && !DefaultAnswers.MustClose(status);
        if (!Lease(ref _responseOut))
        {
            // No buffer left: the answer is written on the stack and sent best effort.
            Span<byte> fallback = stackalloc byte[2048];
            var length = template.Write(fallback, new AnswerContext(_requestId, redirectHost, redirectTarget));
            if (length > 0)
            {
                Session.Front.SendBestEffort(fallback[..length]);
            }
            return Step.Close;
        }
        var written = template.Write(_responseOut!.All, new AnswerContext(_requestId, redirectHost, redirectTarget));
        if (written < 0)
        {
            return Step.Close;
        }
        _responseOut.Start = 0;
        _responseOut.End = written;
        if (_answerKeepsAlive)
        {
            _front!.Consume(request!.HeadEnd);
        }
        ReturnHeads();
        _phase = HttpPhase.Answer;
        ArmTimer(HttpTimer.Linger, Session.Listener.Config.FrontTimeout);
        return Step.Next;
    }

    private Step SendAnswer()
    {
        var front = Session.Front;
        if (!front.IsWritable)
        {
            return Step.Wait;
        }
        if (front.Send(_responseOut!, _responseOut!.Length, out _) == IoStatus.Error)
        {
            return Step.Close;
        }
        if (!_responseOut.IsEmpty)
        {
            return Step.Wait;
        }
        ReturnBuffer(ref _responseOut);
        Session.CountClientBytes(_cluster);
        _cluster = null;
        _target = null;
        if (_answerKeepsAlive)
        {
            _servedOne = true;
            _phase = HttpPhase.RequestHead;
            _requestTimerArmed = false;
            _idAssigned = false;
            ArmTimer(HttpTimer.FrontIdle, Session.Listener.Config.FrontTimeout);
            return Step.Next;
        }
        ReturnBuffer(ref _front);
        front.ShutdownWrite();
        _phase = HttpPhase.Linger;
        ArmTimer(HttpTimer.Linger, LingerSeconds);
        return Step.Next;
    }

    /// <summary>
    /// After an answer the write side is shut; unread request bytes would turn close() into a
    /// reset that can destroy the answer in flight, so the rest is read and dropped until the
    /// client closes or the linger time ends.
    /// </summary>
    private unsafe Step Linger()
    {
        var front = Session.Front;
        var scratch = stackalloc byte[4096];
        // Bounded per wake-up; what is left keeps the readiness flag and the timer ends it.
        for (var i = 0; i < 64 && front.IsReadable; i++)
        {
            var status = NativeSocket.Receive(front.Fd, scratch, 4096, out var received);
            if (status is IoStatus.Closed or IoStatus.Error)
            {
                return Step.Close;
            }
            if (status == IoStatus.WouldBlock || received < 4096)
            {
                front.Readiness &= ~(Loop.Readiness.Readable | Loop.Readiness.PeerClosed);
            }
        }
        return Step.Wait;
    }
}
