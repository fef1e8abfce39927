using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Events;

namespace Sozu.Messages.Answers;

/// <summary>The typed payload of an answer. On the JSON socket each is an object with a "type".</summary>
public abstract record AnswerContent : ISozuMessage;

public sealed record WorkerInfo(int Id, int Pid, string State);

public sealed record WorkersContent(ValueList<WorkerInfo> Workers) : AnswerContent;

/// <summary>A cluster with everything that routes to it.</summary>
public sealed record ClusterInfo(
    Cluster Cluster,
    ValueList<HttpFrontend> HttpFrontends,
    ValueList<HttpFrontend> HttpsFrontends,
    ValueList<TcpFrontend> TcpFrontends,
    ValueList<Backend> Backends);

public sealed record ClustersContent(ValueList<ClusterInfo> Clusters) : AnswerContent;

/// <summary>A stable 64-bit hash per cluster id, for external tools that diff.</summary>
public sealed record ClustersHashesContent(ValueList<ClusterHash> Hashes) : AnswerContent;

public sealed record ClusterHash(string ClusterId, ulong Hash);

public sealed record ListenerInfo(ListenerConfig Listener, bool Active);

public sealed record ListenersContent(ValueList<ListenerInfo> Listeners) : AnswerContent;

public sealed record FrontendsContent(
    ValueList<HttpFrontend> HttpFrontends,
    ValueList<HttpFrontend> HttpsFrontends,
    ValueList<TcpFrontend> TcpFrontends) : AnswerContent;

public sealed record CertificateSummary(string Address, string Fingerprint, ValueList<string> Names);

public sealed record CertificatesContent(ValueList<CertificateSummary> Certificates) : AnswerContent;

public sealed record RequestCountsContent(StringMap Counts) : AnswerContent;

public sealed record EventContent(Event Event) : AnswerContent;
