# syntax=docker/dockerfile:1
# One image definition for the three services and the local authorization server; docker-compose.yml builds each with
# its module and ports, e.g.
#   docker build --build-arg SERVICE=benefit-service --build-arg PORT=8083 --build-arg MANAGEMENT_PORT=9183 \
#     -t benefit-service .
# SERVICE is a module of the root pom, PORT the port its API listens on (the default of its server.port) and
# MANAGEMENT_PORT the port of its actuator: health, metrics, outbox, kafkalag (the default of its
# management.server.port; it takes no token, so publish it only to the network Prometheus scrapes from).
# SERVICE=local-stack gives the image of local-stack.jar, whose `auth` command runs the local OAuth2 authorization
# server (compose's `auth` service); it has no actuator, so it is built without MANAGEMENT_PORT and compose checks its
# health by its discovery document.

FROM maven:3.9.11-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /build
COPY . .
# The reactor builds the service and the modules it depends on; the Maven repository is cached between builds.
# mdep.skip: embedded-infrastructure, a test dependency, would otherwise unpack Apicurio Registry, which only tests use.
# The executable jar is <module>-<version>.jar, or <module>.jar where the module sets its final name (local-stack);
# the glob leaves out the -tests and -classes jars beside it.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<module>" >&2; exit 1; }; \
    ./mvnw -B -ntp -DskipTests -Dmdep.skip=true -pl "${SERVICE}" -am package \
    && jar="$(ls "${SERVICE}/target/${SERVICE}.jar" "${SERVICE}/target/${SERVICE}-"[0-9]*[0-9T].jar 2> /dev/null | head -n 1)" \
    && test -n "${jar}" && cp "${jar}" /build/application.jar
# The jar's layers, from the least to the most often changed, each becomes an image layer of its own.
RUN java -Djarmode=tools -jar /build/application.jar extract --layers --launcher --destination /build/extracted

FROM eclipse-temurin:17.0.16_8-jre-noble AS runtime
ARG SERVICE
ARG PORT
ARG MANAGEMENT_PORT
LABEL org.opencontainers.image.title="${SERVICE}"
ENV PORT=${PORT} \
    MANAGEMENT_PORT=${MANAGEMENT_PORT} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# /data: a directory the non-root user may write, for a volume (the authorization server keeps its key there).
RUN test -n "${PORT}" || { echo "build with --build-arg PORT=<the service's port>" >&2; exit 1; }; \
    case "${SERVICE}" in *-service) test -n "${MANAGEMENT_PORT}" \
        || { echo "build with --build-arg MANAGEMENT_PORT=<the service's management port>" >&2; exit 1; };; esac; \
    groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir /data && chown app:app /data
WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER 10001:10001
EXPOSE ${PORT} ${MANAGEMENT_PORT}
# curl and wget are not certain to be in a JRE image: bash asks for /actuator/health on the management port over
# /dev/tcp and wants a 200 (the API port answers only /livez and /readyz of the actuator).
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT} && printf 'GET /actuator/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/[0-9.]* 200'"]
# java is PID 1 and gets SIGTERM itself: server.shutdown=graceful drains requests and the outbox relay stops cleanly.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
