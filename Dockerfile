# The c18n app node image. Build the jar first (./c18n build), then: docker build -t c18n .
FROM eclipse-temurin:25-jre
WORKDIR /app
COPY target/c18n.jar /app/c18n.jar
ENV C18N_DATA_DIR=/data
# A container's output is its log: everything on the terminal (a copy also goes to /data/logs).
ENV C18N_LOG_CONSOLE=all
VOLUME /data
EXPOSE 8080 8082
# Actuator listens on the container's loopback (C18N_MANAGEMENT_ADDRESS, port 8081): the health check
# runs inside the container. Kubernetes probes the pod address instead (deploy/k8s sets 0.0.0.0).
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${C18N_MANAGEMENT_PORT:-8081} \
    && printf "GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 \
    && grep -q "\"status\":\"UP\"" <&3'
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", "/app/c18n.jar"]
