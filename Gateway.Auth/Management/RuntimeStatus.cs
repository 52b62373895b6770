namespace Gateway.Auth.Management;

/// <summary>What <c>GET /_gateway/runtime</c> answers; sizes in bytes, <c>Collections</c> per generation 0, 1, 2.</summary>
public sealed record RuntimeStatus(
    long WorkingSetBytes,
    long PrivateBytes,
    long GcHeapSizeBytes,
    long GcCommittedBytes,
    long GcAllocatedBytes,
    int[] Collections,
    int ThreadPoolThreads,
    long ThreadPoolQueueLength);
