using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// TraceReport <trace.nettrace> <requests>: the sampled allocations of a gc-verbose trace (one AllocationTick per
// ~100 KB allocated), by type and by the first frame outside the runtime and framework, scaled to bytes per request.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TraceReport <trace.nettrace> <requests during the trace>");
    return 2;
}

var requests = double.Parse(args[1], CultureInfo.InvariantCulture);
using var log = TraceLog.OpenOrConvert(TraceLog.CreateFromEventPipeDataFile(args[0]));
var byType = new Dictionary<string, long>();
var bySite = new Dictionary<string, long>();
long total = 0;
// TraceEvents implements only the generic enumerator, so no OfType or Cast here.
foreach (var traceEvent in log.Events)
{
    if (traceEvent is not GCAllocationTickTraceData data)
    {
        continue;
    }

    var amount = data.AllocationAmount64;
    total += amount;
    Add(byType, data.TypeName ?? "?", amount);
    Add(bySite, Site(data.CallStack()), amount);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sampled allocation: {total / requests:0} B per request over {requests:0} requests"));
Print("by type", byType);
Print("by first frame outside System.* / Microsoft.Extensions.*", bySite);
return 0;

void Add(Dictionary<string, long> totals, string key, long amount) => totals[key] = totals.GetValueOrDefault(key) + amount;

void Print(string title, Dictionary<string, long> totals)
{
    Console.WriteLine($"-- {title}");
    foreach (var (key, amount) in totals.OrderByDescending(p => p.Value).Take(25))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{amount / requests,8:0} B/req  {key}"));
    }
}

static string Site(TraceCallStack? stack)
{
    var frames = new List<string>();
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        frames.Add(frame.CodeAddress.FullMethodName is { Length: > 0 } name ? name : "?");
    }

    var site = frames.FirstOrDefault(f => !f.StartsWith("System.", StringComparison.Ordinal) && !f.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && f != "?");
    return site is null ? (frames.FirstOrDefault() ?? "?") : site + "  <-  " + frames[0];
}
