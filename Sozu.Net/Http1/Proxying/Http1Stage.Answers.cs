using Sozu.Net.Backends;
using Sozu.Net.Sockets;

namespace Sozu.Net.Http1.Proxying;

/// <summary>The proxy's own answers: sent from the listener's (or cluster's) bytes, then the connection closes gracefully.</summary>
internal sealed partial class Http1Stage
{
    /// <summary>How long a closing connection keeps reading so the client receives the answer instead of a reset.</summary>
    private const int LingerSeconds = 1;

    private Step StartAnswer(int status)
    {
        if (_connection is not null)
        {
            Session.Core.BackendPool.Abort(_connection);
            _connection = null;
        }
        ReturnBuffer(ref _back);
        ReturnBuffer(ref _requestOut);
        ReturnBuffer(ref _responseOut);
        ReturnHeads();
        _answer = status == 503 && _cluster?.Answer503 is { } custom ? custom : _http.Answers.Get(status);
        _answerSent = 0;
        _status = status;
        CountAnswer();
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
        IoStatus status;
        bool complete;
        if (_answer is not null)
        {
            status = front.Send(_answer.AsSpan(_answerSent), out var sent);
            _answerSent += sent;
            complete = _answerSent == _answer.Length;
        }
        else
        {
            status = front.Send(_responseOut!, _responseOut!.Length, out _);
            complete = _responseOut.IsEmpty;
        }
        if (status == IoStatus.Error)
        {
            return Step.Close;
        }
        if (!complete)
        {
            return Step.Wait;
        }
        ReturnBuffer(ref _responseOut);
        ReturnBuffer(ref _front);
        _answer = null;
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

    private void CountAnswer()
    {
        var listener = Session.Listener.Traffic;
        listener.CountStatus(_status);
        Session.Core.Global.CountStatus(_status);
        if (_cluster is not null)
        {
            _cluster.Traffic.Requests++;
            _cluster.Traffic.CountStatus(_status);
        }
        LogRequest(_http.IsHttps ? Metrics.AccessLogProtocol.Https : Metrics.AccessLogProtocol.Http);
    }

    private void CountExchange(BackendRuntime backend)
    {
        Session.Listener.Traffic.CountStatus(_status);
        Session.Core.Global.CountStatus(_status);
        backend.Traffic.Requests++;
        backend.Traffic.CountStatus(_status);
        if (_cluster is not null)
        {
            _cluster.Traffic.Requests++;
            _cluster.Traffic.CountStatus(_status);
        }
    }
}
