# presence-node container image. Build from the repository root:
#   docker build -t presence-node:0.1.0 .
# (k8s/README.md: load it into the cluster or push it, then point the StatefulSet at it.)

# --- build: the same command as the README's, in a pinned Maven + JDK 17 -------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The pom alone first: the dependency layer is rebuilt only when the pom changes, not on every edit.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY cluster-config ./cluster-config
COPY src/main ./src/main
RUN mvn -B -q package -DskipTests

# --- runtime: a JRE only; no Maven, no JDK tools, no sources -------------------------------------------
FROM eclipse-temurin:17-jre
# A numeric, non-root user: the Kubernetes manifests run as 10001 (runAsNonRoot can only be verified
# against a numeric USER), and any other runtime gets the same unprivileged user by default.
RUN groupadd --system --gid 10001 presence \
 && useradd --system --uid 10001 --gid presence --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin presence
# Owned by root and read-only to the node: the process cannot rewrite its own code.
COPY --from=build /src/target/presence-node.jar /app/presence-node.jar
USER 10001:10001
WORKDIR /app
# 8080 public (/ws, /eventbus, dashboard), 8090 admin (health, metrics, read API; plain HTTP, keep it
# internal), 5701 Hazelcast members, 5710 clustered event bus.
EXPOSE 8080 8090 5701 5710
# Heap from the container's memory limit, not the host's RAM; out of heap, exit and be restarted.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Exec form: java is PID 1 and receives SIGTERM itself (no shell in between to swallow it), so the
# node's shutdown hook drains: readiness 503, sessions closed with 1001, Hazelcast leaves gracefully.
# The public listener binds 127.0.0.1 unless told otherwise: pass PRESENCE_HTTP_HOST=0.0.0.0 to reach it from
# outside the container, as the manifests do. The admin listener binds 0.0.0.0:8090 (probes, Prometheus); its read
# API needs an API key (PRESENCE_API_KEYS) or an admin token. Clients authenticate with JWTs: the node needs a key
# (PRESENCE_JWT_SECRET, PRESENCE_JWT_PUBLIC_KEY or PRESENCE_JWT_JWKS_URL) or PRESENCE_AUTH=none for development.
ENTRYPOINT ["java", "-jar", "/app/presence-node.jar"]
