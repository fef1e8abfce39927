using System.Text;
using Sozu.Net.Http1.Editing;
using Xunit;

namespace Sozu.Net.Tests.Http1.Editing;

public class RequestIdGeneratorTests
{
    [Fact]
    public void Next_WritesDistinctCrockfordIds_ThatSortByCreation()
    {
        var generator = new RequestIdGenerator();
        var ids = new List<string>();
        var buffer = new byte[RequestIdGenerator.Length];
        for (var i = 0; i < 1000; i++)
        {
            generator.Next(buffer);
            ids.Add(Encoding.ASCII.GetString(buffer));
        }
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", id));
        // The timestamp prefix (10 characters) never goes backwards.
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1][..10], ids[i][..10]) <= 0);
        }
    }

    [Fact]
    public void Next_TimestampPrefix_IsTheCurrentTime()
    {
        var buffer = new byte[RequestIdGenerator.Length];
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        new RequestIdGenerator().Next(buffer);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long millis = 0;
        foreach (var c in Encoding.ASCII.GetString(buffer, 0, 10))
        {
            millis = (millis * 32) + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".IndexOf(c, StringComparison.Ordinal);
        }
        Assert.InRange(millis, before, after);
    }

    [Fact]
    public void Next_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestIdGenerator().Next(new byte[25]));
    }
}
