using Sozu.Messages.Config;
using Sozu.Net.Routing;
using Sozu.Net.Worker;

namespace Sozu.Net.Listeners;

/// <summary>What an HTTP or HTTPS listener adds to a listener: its routes, its answers, and the bytes its forwarding headers reuse.</summary>
internal sealed class HttpListenerState
{
    private HttpListenerState(ListenerAnswers answers, bool isHttps, string stickyName)
    {
        Answers = answers;
        IsHttps = isHttps;
        StickyName = stickyName;
    }

    public Router Router { get; } = new();

    public ListenerAnswers Answers { get; private set; }

    public bool IsHttps { get; }

    public string StickyName { get; }

    public static bool TryCreate(ListenerConfig config, out HttpListenerState state, out string error)
    {
        var (answers, isHttps, stickyName) = config switch
        {
            HttpListenerConfig http => (http.Answers, false, http.StickyName),
            HttpsListenerConfig https => (https.Answers, true, https.StickyName),
            _ => throw new ArgumentException("not an HTTP listener", nameof(config)),
        };
        if (!ListenerAnswers.TryCreate(answers, out var built, out error))
        {
            state = null!;
            return false;
        }
        state = new HttpListenerState(built, isHttps, stickyName);
        return true;
    }

    public void ReplaceAnswers(ListenerAnswers answers) => Answers = answers;

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
