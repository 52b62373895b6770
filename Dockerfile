# Multi-stage build of the gateway. The publish step is exactly the one the test suite runs
# (Gateway.Tests/Hosting/EmbeddedDefaultTests.PublishedGatewayRunsFromAnotherWorkingDirectory).
#
#   docker build -t wechat-auth-gateway .
#   docker build -t wechat-auth-demo --target demo-downstream .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Gateway/Gateway.csproj -c Release -o /app/gateway \
 && dotnet publish Gateway.DemoDownstream/Gateway.DemoDownstream.csproj -c Release -o /app/demo

# The demo downstream on its own, for the compose file.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS demo-downstream
WORKDIR /app
COPY --from=build /app/demo .
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Gateway.DemoDownstream.dll", "--urls", "http://0.0.0.0:8080"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build /app/gateway .
# The image's built-in non-root user.
USER app
ENV ASPNETCORE_ENVIRONMENT=Production
# 8080: public listener (proxy, login, health). 8081: management listener, bound to 127.0.0.1 by default
# (appsettings.json); publish it only on a private network.
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "Gateway.dll", "healthcheck", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["dotnet", "Gateway.dll"]
