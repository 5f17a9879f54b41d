# The c18n app node image. Build the jar first (./c18n build), then: docker build -t c18n .
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY target/c18n.jar /app/c18n.jar
ENV C18N_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/c18n.jar"]
