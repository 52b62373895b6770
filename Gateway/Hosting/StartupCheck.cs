using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// Builds the app and finds every configuration mistake before anything is mapped or started: all options
/// validators (a value that does not bind, such as a word for a number, is one more entry and the validators of its
/// section still run), every yarp.json route and cluster, and the switches refused in Production. They are thrown together as
/// one <see cref="GatewayConfigurationException"/>, so one restart shows them all (docs/production.md, "Start-up errors").
/// </summary>
internal static partial class StartupCheck
{
    public static WebApplication BuildChecked(this WebApplicationBuilder builder)
    {
        // Every options type with a validator: ValidateOnStart registers one, as do Validate(...) and the
        // gateway's own IValidateOptions classes. Snapshot before Build, while the collection can be read.
        var optionTypes = builder.Services
            .Select(descriptor => descriptor.ServiceType)
            .Where(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(type => type.GetGenericArguments()[0])
            .Distinct()
            .ToList();
        var app = builder.Build();

        var errors = new List<string>();
        var unconvertible = new UnconvertibleValues();
        foreach (var type in optionTypes)
        {
            CollectOptionErrors(app.Services, type, builder.Configuration, unconvertible, errors);
        }

        try
        {
            CollectProxyErrors(app.Services, errors);
        }
        catch (OptionsValidationException validation)
        {
            // A filter could not be built (an options section it needs is invalid): listed with the options errors.
            errors.AddRange(validation.Failures);
        }

        errors.AddRange(EmbeddedDefaults.ProductionErrors(app.Environment, app.Configuration));
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors.Distinct(StringComparer.Ordinal).ToList());
        }

        return app;
    }

    /// <summary>
    /// The binder stops at the first value it cannot convert, and the validators of that options type then never run:
    /// a missing required setting beside a mistyped one would show only after the next restart. So the value is
    /// reported, hidden (a configuration provider added last answers null for its path, which the binder skips, so
    /// the property keeps its default), and the type is created again, until it binds and its validators report the
    /// rest of the section. Hiding only happens when start-up will fail anyway (an error has been recorded).
    /// </summary>
    private static void CollectOptionErrors(IServiceProvider services, Type optionsType, IConfigurationBuilder configuration, UnconvertibleValues unconvertible, List<string> errors)
    {
        var factory = services.GetService(typeof(IOptionsFactory<>).MakeGenericType(optionsType));
        var create = factory?.GetType().GetMethod(nameof(IOptionsFactory<>.Create));
        if (create is null)
        {
            return;
        }

        // Bounded: each pass hides one more value, and a section has only so many.
        for (var pass = 0; pass < 100; pass++)
        {
            try
            {
                create.Invoke(factory, [Options.DefaultName]);
                return;
            }
            catch (System.Reflection.TargetInvocationException invocation) when (invocation.InnerException is { } inner)
            {
                switch (inner)
                {
                    case OptionsValidationException validation:
                        // A validator's complaint about a hidden value (now its default) would only repeat the conversion error.
                        errors.AddRange(validation.Failures.Where(failure => !unconvertible.AreNamedIn(failure)));
                        return;
                    case InvalidOperationException or FormatException:
                        // ConfigurationBinder: "Failed to convert configuration value at 'Session:IdleMinutes' to type 'System.Int32'."
                        errors.Add(inner.Message);
                        if (FailedPath().Match(inner.Message) is not { Success: true } match || !unconvertible.Hide(match.Groups["path"].Value, configuration))
                        {
                            return;
                        }

                        break;
                    default:
                        throw inner;
                }
            }
        }
    }

    [GeneratedRegex(@"at '(?<path>[^']+)' to type")]
    private static partial Regex FailedPath();

    /// <summary>Answers null for the values the binder could not convert, so that the rest of their section binds.</summary>
    private sealed class UnconvertibleValues : ConfigurationProvider, IConfigurationSource
    {
        private bool _added;

        /// <returns>False when the path was hidden already (the binder failed on it anyway): give up on that type.</returns>
        public bool Hide(string path, IConfigurationBuilder configuration)
        {
            if (Data.ContainsKey(path))
            {
                return false;
            }

            Set(path, null);
            if (!_added)
            {
                configuration.Add(this);
                _added = true;
            }

            return true;
        }

        public bool AreNamedIn(string failure) => Data.Keys.Any(path => failure.Contains(path, StringComparison.OrdinalIgnoreCase));

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
    }

    private static void CollectProxyErrors(IServiceProvider services, List<string> errors)
    {
        var filters = services.GetServices<IProxyConfigFilter>().ToList();
        IConfigValidator? validator;
        try
        {
            validator = services.GetRequiredService<IConfigValidator>();
        }
        catch (OptionsValidationException validation)
        {
            // YARP's validator builds the transforms, which need the signing keys: without them the gateway's own
            // route checks (the filter) still run.
            errors.AddRange(validation.Failures);
            validator = null;
        }

        foreach (var provider in services.GetServices<IProxyConfigProvider>())
        {
            IProxyConfig config;
            try
            {
                config = provider.GetConfig();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                errors.Add("ReverseProxy (yarp.json): " + e.Message);
                continue;
            }

            var clusters = new Dictionary<string, ClusterConfig>(StringComparer.OrdinalIgnoreCase);
            foreach (var original in config.Clusters)
            {
                var cluster = Apply(original, filters, errors, (filter, c) => filter.ConfigureClusterAsync(c, CancellationToken.None));
                if (cluster is null)
                {
                    continue;
                }

                clusters[cluster.ClusterId] = cluster;
                errors.AddRange(Validate(validator, v => v.ValidateClusterAsync(cluster)));
            }

            foreach (var original in config.Routes)
            {
                var cluster = original.ClusterId is { } id && clusters.TryGetValue(id, out var found) ? found : null;
                var route = Apply(original, filters, errors, (filter, r) => filter.ConfigureRouteAsync(r, cluster, CancellationToken.None));
                if (route is not null)
                {
                    errors.AddRange(Validate(validator, v => v.ValidateRouteAsync(route)));
                }
            }
        }
    }

    private static IEnumerable<string> Validate(IConfigValidator? validator, Func<IConfigValidator, ValueTask<IList<Exception>>> validate) =>
        validator is null ? [] : validate(validator).AsTask().GetAwaiter().GetResult().Select(e => e.Message);

    private static T? Apply<T>(T item, List<IProxyConfigFilter> filters, List<string> errors, Func<IProxyConfigFilter, T, ValueTask<T>> configure)
        where T : class
    {
        try
        {
            foreach (var filter in filters)
            {
                item = configure(filter, item).AsTask().GetAwaiter().GetResult();
            }

            return item;
        }
        catch (OptionsValidationException validation)
        {
            // A section the filter needs (the signing keys) is invalid: listed with the options' errors.
            errors.AddRange(validation.Failures);
            return null;
        }
        catch (InvalidOperationException e)
        {
            errors.Add(e.Message);
            return null;
        }
    }
}
