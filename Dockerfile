# One image build per service: docker build --build-arg SERVICE=planner -t dmap-planner .
# Stage 1 builds the whole reactor with the Maven wrapper; stage 2 is the service's Quarkus fast-jar on a JRE.
FROM eclipse-temurin:17.0.15_6-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -DskipITs package

FROM eclipse-temurin:17.0.15_6-jre
ARG SERVICE
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/quarkus-app/ /app/
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
USER 1001
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
