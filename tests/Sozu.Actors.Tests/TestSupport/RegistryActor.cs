using System.Threading.Channels;
using Akka.Actor;
using Sozu.Actors.Remoting;

namespace Sozu.Actors.Tests.TestSupport;

/// <summary>Watches every announced peer actor, answers with its own announcement, and reports announcements and terminations to the test.</summary>
public sealed class RegistryActor : ReceiveActor
{
    public RegistryActor(ChannelWriter<object> events)
    {
        Receive<PeerAnnouncement>(announcement =>
        {
            Context.Watch(announcement.Actor);
            events.TryWrite(announcement);
            Sender.Tell(new PeerAnnouncement("supervisor", 1, Self));
        });
        Receive<Terminated>(terminated => events.TryWrite(terminated));
    }
}
