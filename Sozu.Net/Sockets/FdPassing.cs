using System.Runtime.InteropServices;
using Sozu.Net.Interop;

namespace Sozu.Net.Sockets;

/// <summary>One message with at most one file descriptor (SCM_RIGHTS) over a connected Unix-domain socket.</summary>
internal static unsafe class FdPassing
{
    /// <summary>Sends <paramref name="payload"/> (not empty) with <paramref name="fd"/> attached when it is ≥ 0; false on failure.</summary>
    internal static bool Send(int socket, ReadOnlySpan<byte> payload, int fd)
    {
        var control = new Libc.FdControlMessage
        {
            Length = (nuint)(sizeof(nuint) + (2 * sizeof(int)) + sizeof(int)), // CMSG_LEN(sizeof(int))
            Level = Libc.SolSocket,
            Type = Libc.ScmRights,
            Fd = fd,
        };
        fixed (byte* data = payload)
        {
            var vector = new Libc.IoVector { Base = data, Length = (nuint)payload.Length };
            var message = new Libc.MessageHeader { Vectors = &vector, VectorCount = 1 };
            if (fd >= 0)
            {
                message.Control = &control;
                message.ControlLength = (nuint)sizeof(Libc.FdControlMessage);
            }
            nint sent;
            do
            {
                sent = Libc.SendMsg(socket, &message, 0);
            }
            while (sent < 0 && Marshal.GetLastPInvokeError() == Errno.EIntr);
            return sent == payload.Length;
        }
    }

    /// <summary>Receives one message into <paramref name="payload"/>: its length (-1 on failure) and the fd it carried (-1 when none).</summary>
    internal static int Receive(int socket, Span<byte> payload, out int fd)
    {
        fd = -1;
        var control = default(Libc.FdControlMessage);
        fixed (byte* data = payload)
        {
            var vector = new Libc.IoVector { Base = data, Length = (nuint)payload.Length };
            var message = new Libc.MessageHeader
            {
                Vectors = &vector,
                VectorCount = 1,
                Control = &control,
                ControlLength = (nuint)sizeof(Libc.FdControlMessage),
            };
            nint received;
            do
            {
                received = Libc.RecvMsg(socket, &message, Libc.MsgCmsgCloExec);
            }
            while (received < 0 && Marshal.GetLastPInvokeError() == Errno.EIntr);
            if (received < 0)
            {
                return -1;
            }
            if (message.ControlLength >= (nuint)(sizeof(nuint) + (3 * sizeof(int))) && control.Level == Libc.SolSocket && control.Type == Libc.ScmRights)
            {
                fd = control.Fd;
            }
            return (int)received;
        }
    }
}
