using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit;

namespace Cuckoo.Persistence.Tests;

/// <summary>
/// An actor system of its own (for example one build writing and another reading the same file) with a probe that
/// speaks the journal protocol. Disposing it terminates the system.
/// </summary>
public sealed class JournalClient : IDisposable
{
    private readonly Akka.TestKit.Xunit2.TestKit _kit;
    private readonly TestProbe _probe;

    public JournalClient(Config config, EventTypeRegistry? registry = null)
    {
        var setup = BootstrapSetup.Create().WithConfig(config);
        var system = registry is null
            ? ActorSystem.Create("client", setup)
            : ActorSystem.Create("client", ActorSystemSetup.Create(setup, new EventTypeRegistrySetup(registry)));
        _kit = new Akka.TestKit.Xunit2.TestKit(system);
        _probe = _kit.CreateTestProbe();
    }

    public ActorSystem System => _kit.Sys;

    private IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(_kit.Sys).JournalFor(null);

    public void Write(string pid, long sequenceNr, object payload)
    {
        var repr = new Persistent(payload, sequenceNr, pid, sender: ActorRefs.NoSender, writerGuid: "client");
        Journal.Tell(new WriteMessages([new AtomicWrite(repr)], _probe.Ref, 1));
        _probe.ExpectMsg<WriteMessagesSuccessful>();
        _probe.ExpectMsg<WriteMessageSuccess>();
    }

    /// <summary>The replayed payloads, or the failure that ended the replay.</summary>
    public (List<object> Payloads, Exception? Failure) Replay(string pid)
    {
        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, _probe.Ref));
        var payloads = new List<object>();
        while (true)
        {
            switch (_probe.ExpectMsg<object>())
            {
                case ReplayedMessage r:
                    payloads.Add(r.Persistent.Payload);
                    break;
                case RecoverySuccess:
                    return (payloads, null);
                case ReplayMessagesFailure failure:
                    return (payloads, failure.Cause);
            }
        }
    }

    public void Dispose() => _kit.Shutdown();
}
