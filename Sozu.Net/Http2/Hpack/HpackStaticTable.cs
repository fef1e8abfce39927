namespace Sozu.Net.Http2.Hpack;

/// <summary>
/// The 61 entries of RFC 7541 Appendix A, indexes 1 to 61. For the encoder, entries are also
/// grouped by name length, so finding a name compares a handful of candidates, not 61.
/// </summary>
public static class HpackStaticTable
{
    public const int Count = 61;

    private const int LongestName = 27;

    private static readonly (byte[] Name, byte[] Value)[] Entries =
    [
        (":authority"u8.ToArray(), ""u8.ToArray()), // 1
        (":method"u8.ToArray(), "GET"u8.ToArray()), // 2
        (":method"u8.ToArray(), "POST"u8.ToArray()), // 3
        (":path"u8.ToArray(), "/"u8.ToArray()), // 4
        (":path"u8.ToArray(), "/index.html"u8.ToArray()), // 5
        (":scheme"u8.ToArray(), "http"u8.ToArray()), // 6
        (":scheme"u8.ToArray(), "https"u8.ToArray()), // 7
        (":status"u8.ToArray(), "200"u8.ToArray()), // 8
        (":status"u8.ToArray(), "204"u8.ToArray()), // 9
        (":status"u8.ToArray(), "206"u8.ToArray()), // 10
        (":status"u8.ToArray(), "304"u8.ToArray()), // 11
        (":status"u8.ToArray(), "400"u8.ToArray()), // 12
        (":status"u8.ToArray(), "404"u8.ToArray()), // 13
        (":status"u8.ToArray(), "500"u8.ToArray()), // 14
        ("accept-charset"u8.ToArray(), ""u8.ToArray()), // 15
        ("accept-encoding"u8.ToArray(), "gzip, deflate"u8.ToArray()), // 16
        ("accept-language"u8.ToArray(), ""u8.ToArray()), // 17
        ("accept-ranges"u8.ToArray(), ""u8.ToArray()), // 18
        ("accept"u8.ToArray(), ""u8.ToArray()), // 19
        ("access-control-allow-origin"u8.ToArray(), ""u8.ToArray()), // 20
        ("age"u8.ToArray(), ""u8.ToArray()), // 21
        ("allow"u8.ToArray(), ""u8.ToArray()), // 22
        ("authorization"u8.ToArray(), ""u8.ToArray()), // 23
        ("cache-control"u8.ToArray(), ""u8.ToArray()), // 24
        ("content-disposition"u8.ToArray(), ""u8.ToArray()), // 25
        ("content-encoding"u8.ToArray(), ""u8.ToArray()), // 26
        ("content-language"u8.ToArray(), ""u8.ToArray()), // 27
        ("content-length"u8.ToArray(), ""u8.ToArray()), // 28
        ("content-location"u8.ToArray(), ""u8.ToArray()), // 29
        ("content-range"u8.ToArray(), ""u8.ToArray()), // 30
        ("content-type"u8.ToArray(), ""u8.ToArray()), // 31
        ("cookie"u8.ToArray(), ""u8.ToArray()), // 32
        ("date"u8.ToArray(), ""u8.ToArray()), // 33
        ("etag"u8.ToArray(), ""u8.ToArray()), // 34
        ("expect"u8.ToArray(), ""u8.ToArray()), // 35
        ("expires"u8.ToArray(), ""u8.ToArray()), // 36
        ("from"u8.ToArray(), ""u8.ToArray()), // 37
        ("host"u8.ToArray(), ""u8.ToArray()), // 38
        ("if-match"u8.ToArray(), ""u8.ToArray()), // 39
        ("if-modified-since"u8.ToArray(), ""u8.ToArray()), // 40
        ("if-none-match"u8.ToArray(), ""u8.ToArray()), // 41
        ("if-range"u8.ToArray(), ""u8.ToArray()), // 42
        ("if-unmodified-since"u8.ToArray(), ""u8.ToArray()), // 43
        ("last-modified"u8.ToArray(), ""u8.ToArray()), // 44
        ("link"u8.ToArray(), ""u8.ToArray()), // 45
        ("location"u8.ToArray(), ""u8.ToArray()), // 46
        ("max-forwards"u8.ToArray(), ""u8.ToArray()), // 47
        ("proxy-authenticate"u8.ToArray(), ""u8.ToArray()), // 48
        ("proxy-authorization"u8.ToArray(), ""u8.ToArray()), // 49
        ("range"u8.ToArray(), ""u8.ToArray()), // 50
        ("referer"u8.ToArray(), ""u8.ToArray()), // 51
        ("refresh"u8.ToArray(), ""u8.ToArray()), // 52
        ("retry-after"u8.ToArray(), ""u8.ToArray()), // 53
        ("server"u8.ToArray(), ""u8.ToArray()), // 54
        ("set-cookie"u8.ToArray(), ""u8.ToArray()), // 55
        ("strict-transport-security"u8.ToArray(), ""u8.ToArray()), // 56
        ("transfer-encoding"u8.ToArray(), ""u8.ToArray()), // 57
        ("user-agent"u8.ToArray(), ""u8.ToArray()), // 58
        ("vary"u8.ToArray(), ""u8.ToArray()), // 59
        ("via"u8.ToArray(), ""u8.ToArray()), // 60
        ("www-authenticate"u8.ToArray(), ""u8.ToArray()), // 61
    ];

    // Indexes (1-based) of the entries whose name has each length, in table order.
    private static readonly int[][] ByNameLength = GroupByNameLength();

    /// <summary>The entry at <paramref name="index"/>, 1 to <see cref="Count"/>.</summary>
    public static void Get(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var entry = Entries[index - 1];
        name = entry.Name;
        value = entry.Value;
    }

    /// <summary>
    /// The index of the entry with this name and value (or 0), and in <paramref name="nameIndex"/>
    /// the first entry with this name (or 0).
    /// </summary>
    public static int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = 0;
        if (name.Length > LongestName)
        {
            return 0;
        }
        foreach (var index in ByNameLength[name.Length])
        {
            var entry = Entries[index - 1];
            if (!name.SequenceEqual(entry.Name))
            {
                continue;
            }
            if (nameIndex == 0)
            {
                nameIndex = index;
            }
            if (value.SequenceEqual(entry.Value))
            {
                return index;
            }
        }
        return 0;
    }

    private static int[][] GroupByNameLength()
    {
        var groups = new int[LongestName + 1][];
        for (var length = 0; length <= LongestName; length++)
        {
            var count = 0;
            foreach (var entry in Entries)
            {
                count += entry.Name.Length == length ? 1 : 0;
            }
            groups[length] = new int[count];
            var next = 0;
            for (var i = 0; i < Entries.Length; i++)
            {
                if (Entries[i].Name.Length == length)
                {
                    groups[length][next++] = i + 1;
                }
            }
        }
        return groups;
    }
}
