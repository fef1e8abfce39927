using System.Globalization;
using Akka.Actor;
using Sozu.Messages.Answers;
using Sozu.Messages.Collections;
using Sozu.Messages.Requests;
using Sozu.Messages.State;
using Sozu.Messages.Toml;

namespace Sozu.Actors.Configuration;

/// <summary>
/// Runs a load_state or a reload_configuration for the ConfigurationActor (its parent): reads and
/// diffs off the actor's thread, then sends the difference back in slices of
/// <see cref="SliceSize"/> requests, each an ordinary change (validated, sent to every worker,
/// committed), with a Processing answer per slice. Other requests are served between slices, so
/// 100,000 objects never hold the configuration actor for more than one slice.
/// </summary>
public sealed class StateChangeJob : ReceiveActor
{
    /// <summary>Requests per change. A slice is applied to the state and sent to every worker as one unit.</summary>
    public const int SliceSize = 1000;

    private readonly string _id;
    private readonly IActorRef _replyTo;
    private IReadOnlyList<ConfigRequest> _steps = [];
    private Planned? _plan;
    private int _sent;

    public StateChangeJob(string id, IActorRef replyTo, ConfigState current, Func<ConfigState, Planned> plan)
    {
        _id = id;
        _replyTo = replyTo;
        Receive<Planned>(OnPlanned);
        Receive<Answer>(OnSliceAnswer);
        Receive<Akka.Actor.Status.Failure>(failure => Finish(Answer.Error(_id, failure.Cause.Message)));
        Task.Run(() => plan(current)).PipeTo(Self);
    }

    public static Props Props(string id, IActorRef replyTo, ConfigState current, Func<ConfigState, Planned> plan) =>
        Akka.Actor.Props.Create(() => new StateChangeJob(id, replyTo, current, plan));

    /// <summary>load_state: the file's requests applied in order onto the current state (those already true skipped).</summary>
    public static Func<ConfigState, Planned> FromStateFile(string path) => current =>
    {
        var read = StateFile.Load(path);
        if (!read.IsOk)
        {
            return Planned.Failed("load_state: " + read.Error);
        }
        var target = StateFile.ApplyOnto(current, read.Requests);
        return new Planned(path, read.Requests.Count, ConfigState.Diff(current, target.State), target.Refused, target.FirstRefusal, null);
    };

    /// <summary>reload_configuration: the file's routing is the whole target; what differs from it is changed, nothing else.</summary>
    public static Func<ConfigState, Planned> FromConfigFile(string path) => current =>
    {
        switch (ConfigFileLoader.Load(path))
        {
            case LoadFailed failed:
                return Planned.Failed("reload_configuration: " + string.Join("; ", failed.Errors));
            case LoadedConfig loaded:
                var target = ConfigState.Empty.ApplyAll(loaded.Requests);
                if (!target.IsOk)
                {
                    return Planned.Failed($"reload_configuration: {path}: {target.Error}");
                }
                return new Planned(path, loaded.Requests.Count, ConfigState.Diff(current, target.State), 0, null, null);
            default:
                return Planned.Failed("reload_configuration: unreadable result");
        }
    };

    private void OnPlanned(Planned plan)
    {
        if (plan.Error is not null)
        {
            Finish(Answer.Error(_id, plan.Error));
            return;
        }
        _plan = plan;
        _steps = plan.Steps;
        _replyTo.Tell(Answer.Processing(_id, string.Create(CultureInfo.InvariantCulture,
            $"{plan.Path}: {plan.Requests} requests read, {_steps.Count} changes to apply")));
        SendNextSlice();
    }

    private void SendNextSlice()
    {
        if (_sent >= _steps.Count)
        {
            var plan = _plan!;
            var message = string.Create(CultureInfo.InvariantCulture, $"{plan.Path}: {_steps.Count} changes applied");
            if (plan.Refused > 0)
            {
                message += string.Create(CultureInfo.InvariantCulture, $", {plan.Refused} requests refused (first: {plan.FirstRefusal})");
            }
            Finish(Answer.Ok(_id, new StateFileContent(plan.Path, plan.Requests, _steps.Count, plan.Refused), message));
            return;
        }
        var count = Math.Min(SliceSize, _steps.Count - _sent);
        var slice = new ConfigRequest[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = _steps[_sent + i];
        }
        Context.Parent.Tell(new ExecuteRequest(_id, new ApplyChangeBatch(ValueList<ConfigRequest>.From(slice))), Self);
    }

    private void OnSliceAnswer(Answer answer)
    {
        switch (answer.Status)
        {
            case AnswerStatus.Processing:
                return;
            case AnswerStatus.Error:
                Finish(Answer.Error(_id, string.Create(CultureInfo.InvariantCulture,
                    $"stopped after {_sent} of {_steps.Count} changes: {answer.Message}")));
                return;
            default:
                _sent = Math.Min(_steps.Count, _sent + SliceSize);
                if (_sent < _steps.Count)
                {
                    _replyTo.Tell(Answer.Processing(_id, string.Create(CultureInfo.InvariantCulture, $"applied {_sent} of {_steps.Count}")));
                }
                SendNextSlice();
                return;
        }
    }

    private void Finish(Answer answer)
    {
        _replyTo.Tell(answer);
        Context.Stop(Self);
    }

    /// <summary>What a job will change: the diff from the current state to the target, and what the source said.</summary>
    public sealed record Planned(string Path, int Requests, IReadOnlyList<ConfigRequest> Steps, int Refused, string? FirstRefusal, string? Error)
    {
        public static Planned Failed(string error) => new("", 0, [], 0, null, error);
    }
}
