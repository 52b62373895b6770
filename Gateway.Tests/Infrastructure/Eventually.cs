namespace Gateway.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds or the time is up; exceptions count as "not yet".</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan within, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
