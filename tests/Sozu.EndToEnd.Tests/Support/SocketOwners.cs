using System.Globalization;

namespace Sozu.EndToEnd.Tests.Support;

/// <summary>
/// Which process holds the proxy's end of a client connection on 127.0.0.1: the socket whose
/// local port is the listener's and remote port the client's (/proc/net/tcp), found by its inode
/// among the candidates' descriptors (/proc/PID/fd).
/// </summary>
internal static class SocketOwners
{
    /// <summary>The pid among <paramref name="pids"/> that owns the connection; 0 when none does (yet).</summary>
    public static int OwnerOf(int listenerPort, int clientPort, IEnumerable<int> pids)
    {
        var inode = ServerSideInode(listenerPort, clientPort);
        if (inode is null)
        {
            return 0;
        }
        var target = "socket:[" + inode + "]";
        foreach (var pid in pids)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget == target)
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process is gone, or a descriptor closed while we looked
            }
        }
        return 0;
    }

    /// <summary>
    /// The local port of <paramref name="pid"/>'s connection to 127.0.0.1:<paramref name="remotePort"/>
    /// (a client process we started, e.g. openssl s_client); 0 when it has none (yet).
    /// </summary>
    public static int ClientPortOf(int pid, int remotePort)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        var remote = "0100007F:" + remotePort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[2] == remote && inodes.Contains(fields[9]))
            {
                return int.Parse(fields[1].AsSpan(fields[1].IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>
    /// The client ports of every connection <paramref name="pid"/> holds on one of
    /// <paramref name="listenerPorts"/> (accepted sockets, found by inode); empty when it is gone. <paramref name="reads"/>: see below.
    /// </summary>
    public static HashSet<int> ClientPortsHeldBy(int pid, IReadOnlyCollection<int> listenerPorts, int reads = 3)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var locals = listenerPorts.Select(p => "0100007F:" + p.ToString("X4", CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var ports = new HashSet<int>();
        if (inodes.Count == 0)
        {
            return ports;
        }
        // /proc/net/tcp is read in pages, each resumed by position in the kernel's table: while
        // other sockets come and go (the load), a read can skip a few entries: several reads, united.
        for (var read = 0; read < reads; read++)
        {
            foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // The listening socket itself has remote port 0: not a connection.
                if (fields.Length > 9 && locals.Contains(fields[1]) && inodes.Contains(fields[9]) && fields[2] != "00000000:0000")
                {
                    ports.Add(int.Parse(fields[2].AsSpan(fields[2].IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        return ports;
    }

    private static string? ServerSideInode(int listenerPort, int clientPort)
    {
        var local = "0100007F:" + listenerPort.ToString("X4", CultureInfo.InvariantCulture);
        var remote = "0100007F:" + clientPort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            // sl local_address rem_address st ... inode is field 9; an accepted socket has a non-zero inode.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[1] == local && fields[2] == remote && fields[9] != "0")
            {
                return fields[9];
            }
        }
        return null;
    }
}
