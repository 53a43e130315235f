# The demo image: the demo jar (demo/target/brand-equity-demo.jar, main class
# org.brandequity.demo.DemoMain) for the customer simulator, `simulate`, against an external Kafka
# and schema registry. docker-compose.yml runs it as its `simulator` service. Not for production: the
# demo jar also carries the embedded broker and registry launcher of the `demo` command (which
# needs the registry jar, not in this image). From the repository root:
#   mvn -B package -DskipTests && docker build -f deploy/docker/demo.Dockerfile -t brand-equity-demo .
# Configure with BRANDEQUITY_* variables (simulator.* keys: BRANDEQUITY_SIMULATOR_RATE ...).
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 brandequity \
    && useradd --system --uid 10001 --gid brandequity --no-create-home brandequity

COPY demo/target/brand-equity-demo.jar /opt/brand-equity/brand-equity-demo.jar

USER 10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/brand-equity/brand-equity-demo.jar"]
CMD ["simulate"]
