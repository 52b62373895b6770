using Microsoft.EntityFrameworkCore;

namespace Gateway.OpenIdSandbox;

/// <summary>OpenIddict's entities in an in-memory SQLite database that lives as long as the sandbox.</summary>
internal sealed class SandboxDbContext(DbContextOptions<SandboxDbContext> options) : DbContext(options);
