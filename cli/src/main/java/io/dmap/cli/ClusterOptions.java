package io.dmap.cli;

import java.nio.file.Path;

/** How `./dmap up` lays out the local cluster. Every port can be overridden on the command line. */
public record ClusterOptions(Path home, int workers, int partitions, int plannerPort, int s3Port, int kafkaPort,
                             int controllerPort, String accessKey, String secretKey, String region, int planners) {

    /** One planner. */
    public ClusterOptions(Path home, int workers, int partitions, int plannerPort, int s3Port, int kafkaPort,
                          int controllerPort, String accessKey, String secretKey, String region) {
        this(home, workers, partitions, plannerPort, s3Port, kafkaPort, controllerPort, accessKey, secretKey, region, 1);
    }

    public static ClusterOptions defaults(Path home) {
        return new ClusterOptions(home, 2, 12, 8080, 9000, 9092, 9093, "dmap", "dmap-secret-key", "us-east-1");
    }

    public ClusterOptions withPlanners(int count) {
        return new ClusterOptions(home, workers, partitions, plannerPort, s3Port, kafkaPort, controllerPort, accessKey,
                secretKey, region, count);
    }

    /** The first planner's URL. */
    public String plannerUrl() {
        return plannerUrl(0);
    }

    /** Planner replica {@code i} listens on the planner port + i. */
    public String plannerUrl(int i) {
        return "http://127.0.0.1:" + (plannerPort + i);
    }

    /** Every planner replica's URL, comma-separated (any of them serves the whole API). */
    public String plannerUrls() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < planners; i++) {
            sb.append(i == 0 ? "" : ",").append(plannerUrl(i));
        }
        return sb.toString();
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Lines for `.dmap/env`, to be sourced by a shell. */
    public String envFile() {
        return "export DMAP_PLANNER_URL=" + plannerUrl() + "\n"
                + "export DMAP_PLANNER_URLS=" + plannerUrls() + "\n"
                + "export DMAP_S3_ENDPOINT=" + s3Endpoint() + "\n"
                + "export AWS_ACCESS_KEY_ID=" + accessKey + "\n"
                + "export AWS_SECRET_ACCESS_KEY=" + secretKey + "\n"
                + "export AWS_REGION=" + region + "\n"
                + "export KAFKA_BOOTSTRAP_SERVERS=" + bootstrapServers() + "\n";
    }
}
