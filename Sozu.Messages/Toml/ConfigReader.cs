using Sozu.Messages.Config;
using Tomlyn.Model;

namespace Sozu.Messages.Toml;

/// <summary>
/// Reads the whole file: globals, then listeners, then clusters, then binds each frontend to the
/// listener at its address, creating the implicit listener Sōzu creates when there is none.
/// </summary>
internal static class ConfigReader
{
    public static RequestPlan? Read(LoadContext context, TomlTable table)
    {
        var root = new TomlSection(context, table, "", new SourceLocation(1, 1), ConfigSection.Global);
        var global = GlobalSectionReader.Read(root);
        var plan = new RequestPlan(global);

        foreach (var section in root.TableList("listeners", ConfigSection.Listener) ?? [])
        {
            var entry = ListenerReader.Read(section, global);
            if (entry is null)
            {
                continue;
            }
            if (plan.FindListener(entry.Config.Address) is not null)
            {
                section.Error("address", $"another listener already uses {entry.Config.Address}");
                continue;
            }
            plan.AddListener(entry);
        }

        var clusters = new List<ClusterEntry>();
        if (root.Table("clusters") is { } clusterTables)
        {
            foreach (var id in clusterTables.TakeAllKeys())
            {
                if (clusterTables.Table(id, ConfigSection.Cluster) is { } clusterTable && ClusterReader.Read(clusterTable, id) is { } cluster)
                {
                    clusters.Add(cluster);
                }
            }
        }

        if (root.Has("applications"))
        {
            root.MarkKnown("applications");
            root.Error("applications", "unknown key: Sōzu renamed [applications] to [clusters] (and app_id to cluster id)");
        }
        if (root.Has("hsts"))
        {
            root.MarkKnown("hsts");
            root.Error("hsts", "unknown key: an https listener's HSTS table is written [listeners.hsts], right after its [[listeners]]");
        }
        root.ReportUnknownKeys();

        foreach (var cluster in clusters)
        {
            Bind(context, plan, cluster);
        }
        plan.WarnAboutHttpsListenersWithoutCertificate(context);
        return context.HasErrors ? null : plan;
    }

    private static void Bind(LoadContext context, RequestPlan plan, ClusterEntry entry)
    {
        var cluster = entry.Cluster;
        var expectProxy = entry.ExpectProxy;
        foreach (var frontend in entry.Frontends)
        {
            var listener = plan.FindListener(frontend.Address);
            if (listener is null)
            {
                var protocol = !entry.IsHttp ? ListenerProtocol.Tcp
                    : frontend.Certificate is not null ? ListenerProtocol.Https
                    : ListenerProtocol.Http;
                listener = ListenerReader.Implicit(frontend.Address, protocol, plan.Global) with { At = frontend.AddressAt, KeyPath = frontend.AddressKey };
                plan.AddListener(listener);
                context.Warning(frontend.AddressAt, frontend.AddressKey,
                    $"no [[listeners]] entry has address {frontend.Address}: {(protocol == ListenerProtocol.Tcp ? "a" : "an")} {protocol.ToString().ToLowerInvariant()} listener with the global timeouts is created for it, as Sōzu does");
            }

            var kind = listener.Config.Protocol;
            if (entry.IsHttp)
            {
                if (kind == ListenerProtocol.Tcp)
                {
                    context.Error(frontend.AddressAt, frontend.AddressKey, $"the listener at {frontend.Address} is tcp; an http cluster's frontend needs an http or https listener");
                    continue;
                }
                if (kind == ListenerProtocol.Http && frontend.Certificate is not null)
                {
                    context.Error(frontend.AddressAt, frontend.AddressKey, $"the listener at {frontend.Address} is http; a frontend with a certificate needs an https listener");
                    continue;
                }
                if (kind == ListenerProtocol.Http && frontend.Http!.Hsts is not null)
                {
                    context.Error(frontend.AddressAt, frontend.AddressKey, $"the listener at {frontend.Address} is http; HSTS is only valid on https (RFC 6797 §7.2)");
                    continue;
                }
                plan.AddHttpFrontend(frontend, https: kind == ListenerProtocol.Https);
            }
            else
            {
                if (kind != ListenerProtocol.Tcp)
                {
                    context.Error(frontend.AddressAt, frontend.AddressKey, $"the listener at {frontend.Address} is {kind.ToString().ToLowerInvariant()}; a tcp cluster's frontend needs a tcp listener");
                    continue;
                }
                if (plan.TcpListenerOwner(frontend.Address) is { } owner && owner != cluster.ClusterId)
                {
                    context.Error(frontend.AddressAt, frontend.AddressKey, $"the tcp listener at {frontend.Address} already sends its connections to cluster {owner}");
                    continue;
                }
                // As in Sōzu: a tcp cluster behind a listener expecting PROXY protocol relays the header.
                expectProxy |= listener.Config.ExpectProxy;
                plan.AddTcpFrontend(frontend);
            }
        }

        if (!entry.IsHttp)
        {
            var send = cluster.ProxyProtocol is ProxyProtocolConfig.SendHeader or ProxyProtocolConfig.RelayHeader;
            cluster = cluster with { ProxyProtocol = ClusterReader.ProxyProtocol(send, expectProxy) };
        }
        plan.AddCluster(cluster, entry.Backends);
    }
}
