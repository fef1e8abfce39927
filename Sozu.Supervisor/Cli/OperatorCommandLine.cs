using System.CommandLine;
using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;
using Sozu.Supervisor.Commands;

namespace Sozu.Supervisor.Cli;

/// <summary>
/// The subcommands that talk to a running supervisor over the command socket (SPEC §3): each
/// turns its options into one typed request and hands it to <see cref="SocketCommand"/>.
/// </summary>
internal static class OperatorCommandLine
{
    public static IEnumerable<Command> Build(Option<string?> configFile, Option<bool> json, TextWriter stdout, TextWriter stderr)
    {
        CliContext Cli(ParseResult parsed) => new(parsed.GetValue(configFile), parsed.GetValue(json), stdout, stderr);

        Command Simple(string name, string description, Func<ParseResult, Request> request, bool progress = false)
        {
            var command = new Command(name, description);
            command.SetAction(parsed => SocketCommand.Run(Cli(parsed), request(parsed), progress));
            return command;
        }

        yield return Simple("status", "The supervisor and its workers", _ => new Status());

        yield return new Command("workers", "The worker processes") { Simple("list", "List the workers", _ => new ListWorkers()) };

        var stateFile = new Option<string>("--file", "-f") { Description = "The state file (JSON lines of requests)", Required = true };
        var save = Simple("save", "Save the routing state to a file", p => new SaveState(Path.GetFullPath(p.GetValue(stateFile)!)));
        save.Options.Add(stateFile);
        var load = Simple("load", "Apply a saved state on top of the current one", p => new LoadState(Path.GetFullPath(p.GetValue(stateFile)!)), progress: true);
        load.Options.Add(stateFile);
        yield return new Command("state", "Save or load the routing state") { save, load };

        var reloadFile = new Option<string?>("--file", "-f") { Description = "The configuration file to apply (default: the one the supervisor started with)" };
        var reload = Simple("reload", "Re-read the configuration file and apply only what changed",
            p => new ReloadConfiguration(p.GetValue(reloadFile) is { } f ? Path.GetFullPath(f) : null), progress: true);
        reload.Options.Add(reloadFile);
        yield return reload;

        yield return ClusterCommand(Simple);
        yield return BackendCommand(Simple);
        yield return FrontendCommand(Simple);
        yield return ListenerCommand(Simple);
        yield return CertificateCommand(Cli);

        var clusters = new Option<string[]>("--cluster") { Description = "Only these clusters", AllowMultipleArgumentsPerToken = true };
        var backends = new Option<string[]>("--backend") { Description = "Only these backends", AllowMultipleArgumentsPerToken = true };
        var list = new Option<bool>("--list") { Description = "List the metric names only" };
        var get = Simple("get", "Counters summed over every worker", p => new QueryMetrics
        {
            ClusterIds = ValueList<string>.From(p.GetValue(clusters)),
            BackendIds = ValueList<string>.From(p.GetValue(backends)),
            List = p.GetValue(list),
        });
        get.Options.Add(clusters);
        get.Options.Add(backends);
        get.Options.Add(list);
        yield return new Command("metrics", "Traffic counters") { get };

        var events = new Command("events", "Follow backend and worker events until interrupted");
        events.SetAction(parsed => EventsCommand.Run(Cli(parsed)));
        yield return events;

        var workerId = new Argument<int>("N") { Description = "The worker id" };
        var upgradeWorker = Simple("worker", "Replace worker N by a new process without losing connections", p => new UpgradeWorker(p.GetValue(workerId)), progress: true);
        upgradeWorker.Arguments.Add(workerId);
        yield return new Command("upgrade", "Upgrade a worker or the supervisor")
        {
            upgradeWorker,
            Simple("main", "Replace the supervisor by a new process; workers keep serving", _ => new UpgradeMain(), progress: true),
        };

        var hard = new Option<bool>("--hard") { Description = "Close every connection now instead of letting them finish" };
        var shutdown = Simple("shutdown", "Stop the workers and the supervisor", p => p.GetValue(hard) ? new HardStop() : new SoftStop(), progress: true);
        shutdown.Options.Add(hard);
        yield return shutdown;

        var level = new Argument<string>("LEVEL") { Description = "trace, debug, info, warn, error or critical" };
        // Checked here too, so a misspelt level is bad usage (exit 2) like any other bad argument.
        level.Validators.Add(r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (Sozu.Actors.Logging.LogLevelControl.Parse(text) is null)
            {
                r.AddError($"unknown log level \"{text}\": expected trace, debug, info, warn, error or critical");
            }
        });
        var logging = Simple("logging", "Change the log level at runtime", p => new SetLogging(p.GetValue(level)!));
        logging.Arguments.Add(level);
        yield return logging;

        yield return Simple("count-requests", "How many requests of each type the supervisor received", _ => new CountRequests());
    }

    private delegate Command SimpleFactory(string name, string description, Func<ParseResult, Request> request, bool progress = false);

    private static Command ClusterCommand(SimpleFactory simple)
    {
        var id = new Option<string>("--id") { Description = "The cluster id", Required = true };
        var loadBalancing = new Option<LoadBalancingAlgorithm>("--load-balancing") { Description = "round_robin (default), random, least_loaded or power_of_two", CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            var parsed = ParseLoadBalancing(text);
            if (parsed is null)
            {
                r.AddError($"unknown load balancing \"{text}\": expected round_robin, random, least_loaded or power_of_two");
            }
            return parsed ?? LoadBalancingAlgorithm.RoundRobin;
        }, };
        var sticky = new Option<bool>("--sticky-session") { Description = "Route a client back to its backend by cookie" };
        var redirect = new Option<bool>("--https-redirect") { Description = "Answer 301 to https:// on HTTP listeners" };
        var add = simple("add", "Add a cluster (or update it)", p => new AddCluster(new Cluster
        {
            ClusterId = p.GetValue(id)!,
            LoadBalancing = p.GetValue(loadBalancing),
            StickySession = p.GetValue(sticky),
            HttpsRedirect = p.GetValue(redirect),
        }));
        add.Options.Add(id);
        add.Options.Add(loadBalancing);
        add.Options.Add(sticky);
        add.Options.Add(redirect);

        var removeId = new Option<string>("--id") { Description = "The cluster id", Required = true };
        var remove = simple("remove", "Remove a cluster, its frontends and backends", p => new RemoveCluster(p.GetValue(removeId)!));
        remove.Options.Add(removeId);

        var listId = new Option<string?>("--id") { Description = "Show this cluster" };
        var domain = new Option<string?>("--domain") { Description = "Show the clusters serving this hostname" };
        var list = simple("list", "Clusters (with --id or --domain: their frontends and backends; else their hashes)", p =>
            p.GetValue(listId) is { } one ? new QueryClusterById(one)
            : p.GetValue(domain) is { } host ? new QueryClustersByDomain(host)
            : new QueryClustersHashes());
        list.Options.Add(listId);
        list.Options.Add(domain);
        return new Command("cluster", "Add, remove or list clusters") { add, remove, list };
    }

    private static LoadBalancingAlgorithm? ParseLoadBalancing(string text) => text.Trim().Replace("-", "_", StringComparison.Ordinal).ToUpperInvariant() switch
    {
        "" or "ROUND_ROBIN" or "ROUNDROBIN" => LoadBalancingAlgorithm.RoundRobin,
        "RANDOM" => LoadBalancingAlgorithm.Random,
        "LEAST_LOADED" or "LEASTLOADED" => LoadBalancingAlgorithm.LeastLoaded,
        "POWER_OF_TWO" or "POWEROFTWO" => LoadBalancingAlgorithm.PowerOfTwo,
        _ => null,
    };

    private static Command BackendCommand(SimpleFactory simple)
    {
        Command Make(string name, bool adding)
        {
            var cluster = new Option<string>("--id") { Description = "The cluster id", Required = true };
            var backendId = new Option<string>("--backend-id") { Description = "The backend id", Required = true };
            var address = new Option<string>("--address") { Description = "IP:PORT of the backend", Required = true };
            var weight = new Option<int>("--weight") { Description = "Share of the traffic (default 100)", DefaultValueFactory = _ => Defaults.BackendWeight };
            var stickyId = new Option<string?>("--sticky-id") { Description = "Sticky cookie value (default: the backend id)" };
            var backup = new Option<bool>("--backup") { Description = "Serve only when no primary backend is available" };
            var command = simple(name, adding ? "Add a backend to a cluster" : "Remove a backend", p => adding
                ? new AddBackend(new Backend
                {
                    ClusterId = p.GetValue(cluster)!,
                    BackendId = p.GetValue(backendId)!,
                    Address = p.GetValue(address)!,
                    Weight = p.GetValue(weight),
                    StickyId = p.GetValue(stickyId),
                    Backup = p.GetValue(backup),
                })
                : new RemoveBackend(p.GetValue(cluster)!, p.GetValue(backendId)!, p.GetValue(address)!));
            command.Options.Add(cluster);
            command.Options.Add(backendId);
            command.Options.Add(address);
            if (adding)
            {
                command.Options.Add(weight);
                command.Options.Add(stickyId);
                command.Options.Add(backup);
            }
            return command;
        }
        return new Command("backend", "Add or remove backends") { Make("add", adding: true), Make("remove", adding: false) };
    }

    private static Command FrontendCommand(SimpleFactory simple)
    {
        Command Http(string protocol)
        {
            Command Make(string name, bool adding)
            {
                var address = new Option<string>("--address") { Description = "IP:PORT of the listener", Required = true };
                var hostname = new Option<string>("--hostname") { Description = "Host to match (\"*.example.com\", \"*\")", Required = true };
                var path = new Option<string?>("--path") { Description = "Path to match (default: prefix /)" };
                var pathType = new Option<string>("--path-type") { Description = "prefix (default), equals or regex", DefaultValueFactory = _ => "prefix" };
                pathType.AcceptOnlyFromAmong("prefix", "equals", "regex");
                var method = new Option<string?>("--method") { Description = "Only this HTTP method" };
                var cluster = new Option<string?>("--id") { Description = "The cluster id; leave out to deny (401)" };
                var command = simple(name, $"{(adding ? "Add" : "Remove")} an {protocol} frontend", p =>
                {
                    var frontend = new HttpFrontend
                    {
                        ClusterId = p.GetValue(cluster),
                        Address = p.GetValue(address)!,
                        Hostname = p.GetValue(hostname)!,
                        Path = p.GetValue(path) is { } value
                            ? p.GetValue(pathType) switch { "equals" => PathRule.Equal(value), "regex" => PathRule.Regex(value), _ => PathRule.Prefix(value) }
                            : PathRule.Root,
                        Method = p.GetValue(method),
                    };
                    return (protocol, adding) switch
                    {
                        ("http", true) => new AddHttpFrontend(frontend),
                        ("http", false) => new RemoveHttpFrontend(frontend),
                        (_, true) => new AddHttpsFrontend(frontend),
                        _ => new RemoveHttpsFrontend(frontend),
                    };
                });
                command.Options.Add(address);
                command.Options.Add(hostname);
                command.Options.Add(path);
                command.Options.Add(pathType);
                command.Options.Add(method);
                command.Options.Add(cluster);
                return command;
            }
            return new Command(protocol, $"{protocol} frontends") { Make("add", true), Make("remove", false), List() };
        }

        Command Tcp()
        {
            Command Make(string name, bool adding)
            {
                var address = new Option<string>("--address") { Description = "IP:PORT of the TCP listener", Required = true };
                var cluster = new Option<string>("--id") { Description = "The cluster id", Required = true };
                var command = simple(name, $"{(adding ? "Add" : "Remove")} a TCP frontend", p =>
                {
                    var frontend = new TcpFrontend { ClusterId = p.GetValue(cluster)!, Address = p.GetValue(address)! };
                    return adding ? new AddTcpFrontend(frontend) : new RemoveTcpFrontend(frontend);
                });
                command.Options.Add(address);
                command.Options.Add(cluster);
                return command;
            }
            return new Command("tcp", "TCP frontends") { Make("add", true), Make("remove", false), List() };
        }

        Command List()
        {
            var cluster = new Option<string?>("--id") { Description = "Only this cluster's frontends" };
            var domain = new Option<string?>("--domain") { Description = "Only frontends whose hostname contains this" };
            var command = simple("list", "List frontends", p => new ListFrontends(p.GetValue(cluster), p.GetValue(domain)));
            command.Options.Add(cluster);
            command.Options.Add(domain);
            return command;
        }

        return new Command("frontend", "Add, remove or list frontends") { Http("http"), Http("https"), Tcp(), List() };
    }

    private static Command ListenerCommand(SimpleFactory simple)
    {
        Command Protocol(string name, ListenerProtocol protocol)
        {
            Command AddressOnly(string verb, string description, Func<string, Request> request)
            {
                var address = new Option<string>("--address") { Description = "IP:PORT of the listener", Required = true };
                var command = simple(verb, description, p => request(p.GetValue(address)!));
                command.Options.Add(address);
                return command;
            }

            var addAddress = new Option<string>("--address") { Description = "IP:PORT to listen on", Required = true };
            var publicAddress = new Option<string?>("--public-address") { Description = "The address clients see, for forwarded headers" };
            var expectProxy = new Option<bool>("--expect-proxy") { Description = "Expect a PROXY protocol v2 header" };
            var add = simple("add", $"Add an {name} listener (activate it to listen)", p =>
            {
                var addressValue = p.GetValue(addAddress)!;
                var publicValue = p.GetValue(publicAddress);
                var expect = p.GetValue(expectProxy);
                return protocol switch
                {
                    ListenerProtocol.Http => new AddHttpListener(new HttpListenerConfig { Address = addressValue, PublicAddress = publicValue, ExpectProxy = expect }),
                    ListenerProtocol.Https => new AddHttpsListener(new HttpsListenerConfig { Address = addressValue, PublicAddress = publicValue, ExpectProxy = expect }),
                    _ => new AddTcpListener(new TcpListenerConfig { Address = addressValue, PublicAddress = publicValue, ExpectProxy = expect }),
                };
            });
            add.Options.Add(addAddress);
            add.Options.Add(publicAddress);
            add.Options.Add(expectProxy);
            return new Command(name, $"{name} listeners")
            {
                add,
                AddressOnly("remove", "Remove a listener", a => new RemoveListener(a, protocol)),
                AddressOnly("activate", "Start accepting connections", a => new ActivateListener(a, protocol)),
                AddressOnly("deactivate", "Stop accepting connections", a => new DeactivateListener(a, protocol)),
                simple("list", "List every listener", _ => new ListListeners()),
            };
        }
        return new Command("listener", "Add, remove, activate, deactivate or list listeners")
        {
            Protocol("http", ListenerProtocol.Http),
            Protocol("https", ListenerProtocol.Https),
            Protocol("tcp", ListenerProtocol.Tcp),
            simple("list", "List every listener", _ => new ListListeners()),
        };
    }

    private static Command CertificateCommand(Func<ParseResult, CliContext> cli)
    {
        Option<string> Address() => new("--address") { Description = "IP:PORT of the HTTPS listener", Required = true };
        Option<string> File(string name, string description, bool required = true) => new(name) { Description = description, Required = required };

        var addAddress = Address();
        var addCertificate = File("--certificate", "PEM file of the certificate");
        var addKey = File("--key", "PEM file of the private key");
        var addChain = File("--chain", "PEM file of the chain", required: false);
        var add = new Command("add", "Add a certificate to an HTTPS listener") { addAddress, addCertificate, addKey, addChain };
        add.SetAction(p => CertificateCommands.Add(cli(p), p.GetValue(addAddress)!, p.GetValue(addCertificate)!, p.GetValue(addKey)!, p.GetValue(addChain)));

        var replaceAddress = Address();
        var replaceCertificate = File("--certificate", "PEM file of the new certificate");
        var replaceKey = File("--key", "PEM file of the new key");
        var replaceChain = File("--chain", "PEM file of the new chain", required: false);
        var oldFingerprint = File("--old-fingerprint", "hex SHA-256 of the certificate to replace", required: false);
        var oldCertificate = File("--old-certificate", "PEM file of the certificate to replace (instead of its fingerprint)", required: false);
        var replace = new Command("replace", "Swap a certificate for a new one") { replaceAddress, replaceCertificate, replaceKey, replaceChain, oldFingerprint, oldCertificate };
        replace.SetAction(p => CertificateCommands.Replace(cli(p), p.GetValue(replaceAddress)!, p.GetValue(replaceCertificate)!, p.GetValue(replaceKey)!,
            p.GetValue(replaceChain), p.GetValue(oldFingerprint), p.GetValue(oldCertificate)));

        var removeAddress = Address();
        var fingerprint = File("--fingerprint", "hex SHA-256 of the certificate", required: false);
        var certificate = File("--certificate", "PEM file of the certificate (instead of its fingerprint)", required: false);
        var remove = new Command("remove", "Remove a certificate") { removeAddress, fingerprint, certificate };
        remove.SetAction(p => CertificateCommands.Remove(cli(p), p.GetValue(removeAddress)!, p.GetValue(fingerprint), p.GetValue(certificate)));

        var domain = new Option<string?>("--domain") { Description = "Only certificates for this name" };
        var listFingerprint = new Option<string?>("--fingerprint") { Description = "Only this certificate" };
        var list = new Command("list", "List certificates") { domain, listFingerprint };
        list.SetAction(p => SocketCommand.Run(cli(p), new QueryCertificates(p.GetValue(domain), p.GetValue(listFingerprint))));

        return new Command("certificate", "Add, replace, remove or list certificates") { add, replace, remove, list };
    }
}
