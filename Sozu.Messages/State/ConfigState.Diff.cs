using System.Collections.Immutable;
using Sozu.Messages.Answers;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Messages.State;

public sealed partial class ConfigState
{
    /// <summary>Every request that builds this state from nothing: what save_state writes and a new worker receives.</summary>
    public IReadOnlyList<ConfigRequest> ToRequests() => Diff(Empty, this);

    /// <summary>
    /// The ordered requests that turn <paramref name="from"/> into <paramref name="to"/>, each
    /// valid at its turn: first removals (frontends, then backends, certificates, clusters,
    /// then listeners, deactivated before they go), then additions (listeners, clusters,
    /// backends, certificates, frontends, and last the activations, so a listener accepts
    /// only once its routes exist). Unchanged items produce nothing; a changed listener is
    /// patched with update_* unless the patch cannot say it (another protocol, or a field
    /// going back to unset), in which case it is rebuilt with its certificates and frontends.
    /// A certificate swapped on a listener becomes replace_certificate, so the listener is
    /// never without it.
    /// </summary>
    public static IReadOnlyList<ConfigRequest> Diff(ConfigState from, ConfigState to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return new StateDiff(from, to).Run();
    }

    private sealed class StateDiff(ConfigState from, ConfigState to)
    {
        private readonly List<ConfigRequest> _removeFrontends = [];
        private readonly List<ConfigRequest> _removeBackends = [];
        private readonly List<ConfigRequest> _removeCertificates = [];
        private readonly List<ConfigRequest> _removeClusters = [];
        private readonly List<ConfigRequest> _removeListeners = [];
        private readonly List<ConfigRequest> _addListeners = [];
        private readonly List<ConfigRequest> _addClusters = [];
        private readonly List<ConfigRequest> _addBackends = [];
        private readonly List<ConfigRequest> _addCertificates = [];
        private readonly List<ConfigRequest> _addFrontends = [];
        private readonly List<ConfigRequest> _activate = [];

        /// <summary>Addresses whose listener is removed and added again: everything on them must follow.</summary>
        private readonly HashSet<string> _rebuilt = new(StringComparer.Ordinal);

        public List<ConfigRequest> Run()
        {
            DiffListeners();
            DiffClusters();
            DiffBackends();
            DiffCertificates();
            DiffHttpFrontends(from.HttpFrontends, to.HttpFrontends, https: false);
            DiffHttpFrontends(from.HttpsFrontends, to.HttpsFrontends, https: true);
            DiffTcpFrontends();

            var all = new List<ConfigRequest>(
                _removeFrontends.Count + _removeBackends.Count + _removeCertificates.Count + _removeClusters.Count
                + _removeListeners.Count + _addListeners.Count + _addClusters.Count + _addBackends.Count
                + _addCertificates.Count + _addFrontends.Count + _activate.Count);
            all.AddRange(_removeFrontends);
            all.AddRange(_removeBackends);
            all.AddRange(_removeCertificates);
            all.AddRange(_removeClusters);
            all.AddRange(_removeListeners);
            all.AddRange(_addListeners);
            all.AddRange(_addClusters);
            all.AddRange(_addBackends);
            all.AddRange(_addCertificates);
            all.AddRange(_addFrontends);
            all.AddRange(_activate);
            return all;
        }

        private void DiffListeners()
        {
            if (ReferenceEquals(from.Listeners, to.Listeners))
            {
                return;
            }
            SortedMerge.Compare(
                from.Listeners,
                to.Listeners,
                removed: (address, old) => RemoveListener(address, old),
                added: (_, info) => AddListener(info),
                same: static (_, _, _) => { },
                changed: (address, old, info) =>
                {
                    if (old.Listener == info.Listener)
                    {
                        if (old.Active && !info.Active)
                        {
                            _removeListeners.Add(new DeactivateListener(address, old.Listener.Protocol));
                        }
                        else
                        {
                            _activate.Add(new ActivateListener(address, info.Listener.Protocol));
                        }
                        return;
                    }
                    var patch = old.Listener.Protocol == info.Listener.Protocol ? Patch(old.Listener, info.Listener) : null;
                    if (patch is null)
                    {
                        _rebuilt.Add(address);
                        RemoveListener(address, old);
                        AddListener(info);
                        return;
                    }
                    _addListeners.Add(patch);
                    if (old.Active != info.Active)
                    {
                        if (info.Active)
                        {
                            _activate.Add(new ActivateListener(address, info.Listener.Protocol));
                        }
                        else
                        {
                            _removeListeners.Add(new DeactivateListener(address, old.Listener.Protocol));
                        }
                    }
                });
        }

        private void RemoveListener(string address, ListenerInfo old)
        {
            if (old.Active)
            {
                _removeListeners.Add(new DeactivateListener(address, old.Listener.Protocol));
            }
            _removeListeners.Add(new RemoveListener(address, old.Listener.Protocol));
        }

        private void AddListener(ListenerInfo info)
        {
            _addListeners.Add(info.Listener switch
            {
                HttpListenerConfig http => new AddHttpListener(http),
                HttpsListenerConfig https => new AddHttpsListener(https),
                TcpListenerConfig tcp => new AddTcpListener(tcp),
                _ => throw new InvalidOperationException($"unknown listener type {info.Listener.GetType().Name}"),
            });
            if (info.Active)
            {
                _activate.Add(new ActivateListener(info.Listener.Address, info.Listener.Protocol));
            }
        }

        private void DiffClusters()
        {
            if (ReferenceEquals(from.Clusters, to.Clusters))
            {
                return;
            }
            SortedMerge.Compare(
                from.Clusters,
                to.Clusters,
                removed: (id, _) => _removeClusters.Add(new RemoveCluster(id)),
                added: (_, cluster) => _addClusters.Add(new AddCluster(cluster)),
                same: static (_, _, _) => { },
                changed: (_, _, cluster) => _addClusters.Add(new AddCluster(cluster)));
        }

        private void DiffBackends()
        {
            if (ReferenceEquals(from.Backends, to.Backends))
            {
                return;
            }
            SortedMerge.Compare(
                from.Backends,
                to.Backends,
                removed: (_, backends) => RemoveAll(backends),
                added: (_, backends) => AddAll(backends),
                same: static (_, _, _) => { },
                changed: (_, old, backends) => SortedMerge.Compare(
                    old,
                    backends,
                    removed: (_, backend) => _removeBackends.Add(RemoveOf(backend)),
                    added: (_, backend) => _addBackends.Add(new AddBackend(backend)),
                    same: static (_, _, _) => { },
                    changed: (_, _, backend) => _addBackends.Add(new AddBackend(backend))));
        }

        private void RemoveAll(ImmutableSortedDictionary<BackendKey, Backend> backends)
        {
            foreach (var backend in backends.Values)
            {
                _removeBackends.Add(RemoveOf(backend));
            }
        }

        private void AddAll(ImmutableSortedDictionary<BackendKey, Backend> backends)
        {
            foreach (var backend in backends.Values)
            {
                _addBackends.Add(new AddBackend(backend));
            }
        }

        private static RemoveBackend RemoveOf(Backend backend) => new(backend.ClusterId, backend.BackendId, backend.Address);

        private void DiffCertificates()
        {
            if (ReferenceEquals(from.Certificates, to.Certificates) && _rebuilt.Count == 0)
            {
                return;
            }
            SortedMerge.Compare(
                from.Certificates,
                to.Certificates,
                removed: (address, certificates) => RemoveCertificates(address, certificates),
                added: (address, certificates) => AddCertificates(address, certificates),
                same: (address, old, certificates) =>
                {
                    if (_rebuilt.Contains(address))
                    {
                        RemoveCertificates(address, old);
                        AddCertificates(address, certificates);
                    }
                },
                changed: (address, old, certificates) =>
                {
                    if (_rebuilt.Contains(address))
                    {
                        RemoveCertificates(address, old);
                        AddCertificates(address, certificates);
                    }
                    else
                    {
                        DiffCertificatesOn(address, old, certificates);
                    }
                });
        }

        /// <summary>Pairs each certificate leaving a listener with one arriving, as a replace.</summary>
        private void DiffCertificatesOn(
            string address,
            ImmutableSortedDictionary<string, CertificateAndKey> old,
            ImmutableSortedDictionary<string, CertificateAndKey> certificates)
        {
            var leaving = new List<string>();
            var arriving = new List<CertificateAndKey>();
            SortedMerge.Compare(
                old,
                certificates,
                removed: (fingerprint, _) => leaving.Add(fingerprint),
                added: (_, certificate) => arriving.Add(certificate),
                same: static (_, _, _) => { },
                changed: (fingerprint, _, certificate) => _addCertificates.Add(new ReplaceCertificate(address, fingerprint, certificate)));
            var pairs = Math.Min(leaving.Count, arriving.Count);
            for (var i = 0; i < pairs; i++)
            {
                _addCertificates.Add(new ReplaceCertificate(address, leaving[i], arriving[i]));
            }
            for (var i = pairs; i < leaving.Count; i++)
            {
                _removeCertificates.Add(new RemoveCertificate(address, leaving[i]));
            }
            for (var i = pairs; i < arriving.Count; i++)
            {
                _addCertificates.Add(new AddCertificate(address, arriving[i]));
            }
        }

        private void RemoveCertificates(string address, ImmutableSortedDictionary<string, CertificateAndKey> certificates)
        {
            foreach (var fingerprint in certificates.Keys)
            {
                _removeCertificates.Add(new RemoveCertificate(address, fingerprint));
            }
        }

        private void AddCertificates(string address, ImmutableSortedDictionary<string, CertificateAndKey> certificates)
        {
            foreach (var certificate in certificates.Values)
            {
                _addCertificates.Add(new AddCertificate(address, certificate));
            }
        }

        private void DiffHttpFrontends(
            ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> old,
            ImmutableSortedDictionary<HttpFrontendKey, HttpFrontend> frontends,
            bool https)
        {
            if (ReferenceEquals(old, frontends) && _rebuilt.Count == 0)
            {
                return;
            }
            void Remove(HttpFrontend f) => _removeFrontends.Add(https ? new RemoveHttpsFrontend(f) : new RemoveHttpFrontend(f));
            void Add(HttpFrontend f) => _addFrontends.Add(https ? new AddHttpsFrontend(f) : new AddHttpFrontend(f));
            SortedMerge.Compare(
                old,
                frontends,
                removed: (_, f) => Remove(f),
                added: (_, f) => Add(f),
                same: (key, oldFrontend, f) =>
                {
                    if (_rebuilt.Contains(key.Address))
                    {
                        Remove(oldFrontend);
                        Add(f);
                    }
                },
                changed: (_, oldFrontend, f) =>
                {
                    Remove(oldFrontend);
                    Add(f);
                });
        }

        private void DiffTcpFrontends()
        {
            if (ReferenceEquals(from.TcpFrontends, to.TcpFrontends) && _rebuilt.Count == 0)
            {
                return;
            }
            SortedMerge.Compare(
                from.TcpFrontends,
                to.TcpFrontends,
                removed: (_, f) => _removeFrontends.Add(new RemoveTcpFrontend(f)),
                added: (_, f) => _addFrontends.Add(new AddTcpFrontend(f)),
                same: (address, old, f) =>
                {
                    if (_rebuilt.Contains(address))
                    {
                        _removeFrontends.Add(new RemoveTcpFrontend(old));
                        _addFrontends.Add(new AddTcpFrontend(f));
                    }
                },
                changed: (_, old, f) =>
                {
                    _removeFrontends.Add(new RemoveTcpFrontend(old));
                    _addFrontends.Add(new AddTcpFrontend(f));
                });
        }
    }

    /// <summary>The update_* request carrying only what changed, or null when a patch cannot express it.</summary>
    private static ConfigRequest? Patch(ListenerConfig old, ListenerConfig listener)
    {
        // A patch leaves null fields alone, so it cannot take a field back to unset.
        if (old.PublicAddress is not null && listener.PublicAddress is null)
        {
            return null;
        }
        return (old, listener) switch
        {
            (HttpListenerConfig o, HttpListenerConfig n) => new UpdateHttpListener
            {
                Address = n.Address,
                PublicAddress = Changed(o.PublicAddress, n.PublicAddress),
                ExpectProxy = ChangedValue(o.ExpectProxy, n.ExpectProxy),
                StickyName = Changed(o.StickyName, n.StickyName),
                FrontTimeout = ChangedValue(o.FrontTimeout, n.FrontTimeout),
                BackTimeout = ChangedValue(o.BackTimeout, n.BackTimeout),
                ConnectTimeout = ChangedValue(o.ConnectTimeout, n.ConnectTimeout),
                RequestTimeout = ChangedValue(o.RequestTimeout, n.RequestTimeout),
                Answers = Changed(o.Answers, n.Answers),
            },
            (HttpsListenerConfig o, HttpsListenerConfig n) when o.Hsts is null || n.Hsts is not null => new UpdateHttpsListener
            {
                Address = n.Address,
                PublicAddress = Changed(o.PublicAddress, n.PublicAddress),
                ExpectProxy = ChangedValue(o.ExpectProxy, n.ExpectProxy),
                StickyName = Changed(o.StickyName, n.StickyName),
                FrontTimeout = ChangedValue(o.FrontTimeout, n.FrontTimeout),
                BackTimeout = ChangedValue(o.BackTimeout, n.BackTimeout),
                ConnectTimeout = ChangedValue(o.ConnectTimeout, n.ConnectTimeout),
                RequestTimeout = ChangedValue(o.RequestTimeout, n.RequestTimeout),
                Answers = Changed(o.Answers, n.Answers),
                Versions = Changed(o.Versions, n.Versions),
                CipherList = Changed(o.CipherList, n.CipherList),
                AlpnProtocols = Changed(o.AlpnProtocols, n.AlpnProtocols),
                Hsts = Changed(o.Hsts, n.Hsts),
            },
            (TcpListenerConfig o, TcpListenerConfig n) => new UpdateTcpListener
            {
                Address = n.Address,
                PublicAddress = Changed(o.PublicAddress, n.PublicAddress),
                ExpectProxy = ChangedValue(o.ExpectProxy, n.ExpectProxy),
                FrontTimeout = ChangedValue(o.FrontTimeout, n.FrontTimeout),
                BackTimeout = ChangedValue(o.BackTimeout, n.BackTimeout),
                ConnectTimeout = ChangedValue(o.ConnectTimeout, n.ConnectTimeout),
            },
            _ => null,
        };
    }

    private static T? Changed<T>(T? old, T? value)
        where T : class =>
        EqualityComparer<T>.Default.Equals(old, value) ? null : value;

    private static T? ChangedValue<T>(T old, T value)
        where T : struct =>
        EqualityComparer<T>.Default.Equals(old, value) ? null : value;
}
