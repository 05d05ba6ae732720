using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LnbitsMcp.AppHost.Redis;

public static class RedisResourceExtensions
{
    /// <summary>
    /// The image <c>AddRedis</c> of Aspire.Hosting.Redis 13.6 runs (pinned by a test). Where no
    /// registry can be reached, tests/containers/base-image.sh makes a local image with this name.
    /// </summary>
    public const string RedisContainerImage = "docker.io/library/redis:8.6";

    /// <summary>
    /// The <c>redis</c> resource in the mode <c>Redis:Mode</c> asks for (see <see cref="RedisMode"/>).
    /// Every mode yields a resource with a connection string, so references look the same.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisForEnvironment(
        this IDistributedApplicationBuilder builder, string name, RedisModeSelector? selector = null)
    {
        var configuredRuntime = builder.Configuration[ContainerRuntimeProbe.RuntimeKey]
            ?? builder.Configuration["DOTNET_" + ContainerRuntimeProbe.RuntimeKey];
        var containers = new Lazy<ContainerRuntimeStatus>(() => new ContainerRuntimeProbe(RedisContainerImage).Probe(configuredRuntime));
        selector ??= new RedisModeSelector(
            () => containers.Value.IsUsable,
            () => ExecutableLocator.FindOnPath("redis-server"));
        var configuredMode = builder.Configuration[RedisModeSelector.ConfigurationKey];
        if (RedisModeSelector.Parse(configuredMode) == RedisMode.Auto && !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            configuredMode = "external"; // ConnectionStrings:redis names the operator's own Redis
        }

        var mode = selector.Choose(configuredMode, builder.ExecutionContext.IsPublishMode);
        if (containers.IsValueCreated)
        {
            Console.WriteLine(containers.Value.Runtime is { } runtime
                ? $"Container runtime: {runtime}"
                : $"No container runtime for Redis: {containers.Value.Problem}");
            if (mode == RedisMode.Container && containers.Value.Runtime is { } chosen)
            {
                // The orchestrator then uses the runtime that was just seen running Redis.
                builder.Configuration[ContainerRuntimeProbe.RuntimeKey] = chosen;
            }
        }

        Console.WriteLine($"Redis mode: {mode}");
        if (mode is RedisMode.Container or RedisMode.RedisServer && !builder.ExecutionContext.IsPublishMode)
        {
            RedisReadinessWatch.StartWithTheApp(builder, name, mode);
        }

        return mode switch
        {
            RedisMode.RedisServer => builder.AddRedisServerProcess(name, ExecutableLocator.FindOnPath("redis-server")!),
            RedisMode.Embedded => builder.AddEmbeddedRedis(name),
            RedisMode.External => builder.AddConnectionString(name),
            _ => builder.AddRedis(name).WithDataVolume().WithAppendOnlyFile().WithRedisAsTheContainersMainProcess(),
        };
    }

    /// <summary>The persistence every Redis the AppHost starts runs with: an append-only file, fsync once a second.</summary>
    public static readonly IReadOnlyList<string> AppendOnlyArguments = ["--appendonly", "yes", "--appendfsync", "everysec"];

    /// <summary>
    /// The container's Redis writes the append-only file into its data volume. Aspire starts it as
    /// <c>/bin/sh -c "redis-server …"</c> (so the password stays in an environment variable). At
    /// publish the arguments already are <c>-c</c> and that one command line, and the options are
    /// appended to it; in run mode they still are <c>redis-server</c>, <c>--requirepass</c>, … (joined
    /// into the <c>-c</c> line later), and the options are appended as arguments.
    /// </summary>
    public static IResourceBuilder<RedisResource> WithAppendOnlyFile(this IResourceBuilder<RedisResource> redis) =>
        redis.WithRedisCommand(
            nameof(WithAppendOnlyFile),
            line => line + " " + string.Join(' ', AppendOnlyArguments),
            arguments =>
            {
                foreach (var argument in AppendOnlyArguments)
                {
                    arguments.Add(argument);
                }
            });

    /// <summary>
    /// Aspire starts the container as <c>/bin/sh -c "redis-server …"</c>: the shell is the container's
    /// process 1, and a stop's <c>SIGTERM</c> goes to it, which ignores it; ten seconds later the runtime kills
    /// both, and Redis loses what it had not yet written to its append-only file (a second of budgets and
    /// paid hashes). With <c>exec</c> the shell becomes <c>redis-server</c>, which gets the <c>SIGTERM</c>,
    /// writes everything and stops at once. Runs after <see cref="WithAppendOnlyFile"/>.
    /// </summary>
    public static IResourceBuilder<RedisResource> WithRedisAsTheContainersMainProcess(this IResourceBuilder<RedisResource> redis) =>
        redis.WithRedisCommand(nameof(WithRedisAsTheContainersMainProcess), line => "exec " + line, arguments => arguments.Insert(0, "exec"));

    /// <summary>
    /// Edits the container's Redis command, in whichever of its two shapes (see <see cref="WithAppendOnlyFile"/>):
    /// at publish the one <c>-c</c> line (<paramref name="line"/>), in run mode the argument list that starts with
    /// <c>redis-server</c> (<paramref name="arguments"/>). Any other shape means Aspire changed how it starts Redis.
    /// </summary>
    private static IResourceBuilder<RedisResource> WithRedisCommand(
        this IResourceBuilder<RedisResource> redis, string editor, Func<string, string> line, Action<IList<object>> arguments) =>
        redis.WithArgs(context =>
        {
            var command = context.Args.IndexOf("-c") + 1;
            if (command > 0 && command < context.Args.Count && context.Args[command] is string commandLine && commandLine.StartsWith("redis-server", StringComparison.Ordinal))
            {
                context.Args[command] = line(commandLine);
            }
            else if (context.Args.Count > 0 && context.Args[0] is "redis-server")
            {
                arguments(context.Args);
            }
            else
            {
                throw new InvalidOperationException($"The Redis container is no longer started through 'sh -c \"redis-server …\"': update {editor}.");
            }
        });

    /// <summary>
    /// A local <c>redis-server</c> process with an append-only file in <see cref="RedisDataDirectory"/>
    /// (<c>Redis:DataDirectory</c>, by default a stable per-user folder): its data outlives the app.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServerProcess(
        this IDistributedApplicationBuilder builder, string name, string redisServerPath)
    {
        var data = RedisDataDirectory.Acquire(builder.Configuration[RedisDataDirectory.ConfigurationKey]);
        builder.Services.AddSingleton(data); // holds the folder's lock while the AppHost runs
        Console.WriteLine(data.IsPersistent
            ? $"Redis data: {data.Path} (append-only file, kept across runs)"
            : $"Redis data: {data.Path} (temporary: another AppHost is using the data folder; set {RedisDataDirectory.ConfigurationKey} to keep this run's data)");
        var workingDirectory = data.Path;
        var resource = new RedisServerResource(name, redisServerPath, workingDirectory);
        var healthCheckKey = $"{name}-ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new RedisPingHealthCheck(() => (resource.Endpoint.Host, resource.Endpoint.Port)),
            failureStatus: null,
            tags: null));

        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.EndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(workingDirectory);
                context.Args.Add("--save");
                context.Args.Add(string.Empty);
                foreach (var argument in AppendOnlyArguments)
                {
                    context.Args.Add(argument);
                }
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database");
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddEmbeddedRedis(
        this IDistributedApplicationBuilder builder, string name)
    {
        var port = EmbeddedGarnetServer.FreeTcpPort();
        // Started before the orchestrator starts anything (a hosted service would start only after
        // the orchestrator's own start, which waits on this resource's health), stopped with the host.
        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, _) =>
        {
            var server = EmbeddedGarnetServer.Start(port);
            startEvent.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(server.Dispose);
            return Task.CompletedTask;
        });
        var healthCheckKey = $"{name}-ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new RedisPingHealthCheck(() => ("127.0.0.1", port)),
            failureStatus: null,
            tags: null));

        var invariantPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return builder.AddConnectionString(name, ReferenceExpression.Create($"127.0.0.1:{invariantPort}"))
            .WithHealthCheck(healthCheckKey);
    }
}
