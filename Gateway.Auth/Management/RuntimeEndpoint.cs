using System.Diagnostics;
using Gateway.Auth.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class RuntimeEndpoint
{
    /// <summary>
    /// <c>GET runtime</c>: the process's memory and the .NET runtime's own figures (GC heap, collections, thread
    /// pool), read in process at the moment of the call, so a soak run or a monitor can watch them without
    /// dotnet-counters or a diagnostics port.
    /// </summary>
    public static RouteGroupBuilder MapRuntimeStatus(this RouteGroupBuilder management)
    {
        management.MapGet("/runtime", () =>
        {
            using var process = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            return Results.Json(new RuntimeStatus(
                process.WorkingSet64,
                process.PrivateMemorySize64,
                gc.HeapSizeBytes,
                gc.TotalCommittedBytes,
                GC.GetTotalAllocatedBytes(),
                [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
                ThreadPool.ThreadCount,
                ThreadPool.PendingWorkItemCount));
        });
        return management;
    }
}
