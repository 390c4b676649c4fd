# syntax=docker/dockerfile:1
# One image definition for the three services; docker-compose.yml builds each with its module and port, e.g.
#   docker build --build-arg SERVICE=benefit-service --build-arg PORT=8083 -t benefit-service .
# SERVICE is a module of the root pom, PORT the port the service listens on (the default of its server.port).

FROM maven:3.9.11-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /build
COPY . .
# The reactor builds the service and the modules it depends on; the Maven repository is cached between builds.
# mdep.skip: embedded-infrastructure, a test dependency, would otherwise unpack Apicurio Registry, which only tests use.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<module>" >&2; exit 1; }; \
    ./mvnw -B -ntp -DskipTests -Dmdep.skip=true -pl "${SERVICE}" -am package \
    && cp "${SERVICE}/target/${SERVICE}-"*.jar /build/application.jar
# The jar's layers, from the least to the most often changed, each becomes an image layer of its own.
RUN java -Djarmode=tools -jar /build/application.jar extract --layers --launcher --destination /build/extracted

FROM eclipse-temurin:17.0.16_8-jre-noble AS runtime
ARG SERVICE
ARG PORT
LABEL org.opencontainers.image.title="${SERVICE}"
ENV PORT=${PORT} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
RUN test -n "${PORT}" || { echo "build with --build-arg PORT=<the service's port>" >&2; exit 1; }; \
    groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER 10001:10001
EXPOSE ${PORT}
# curl and wget are not certain to be in a JRE image: bash asks for /actuator/health over /dev/tcp and wants a 200.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /actuator/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/[0-9.]* 200'"]
# java is PID 1 and gets SIGTERM itself: server.shutdown=graceful drains requests and the outbox relay stops cleanly.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
