package io.dmap.testsupport;

import org.testcontainers.kafka.KafkaContainer;

import java.util.Locale;

/**
 * Kafka in a container (Testcontainers, image {@code apache/kafka}), used instead of {@link EmbeddedKafka}
 * when {@code -Ddmap.test.docker=true}. Same broker settings as the in-process one; the image can be changed
 * with {@code -Ddmap.test.kafka.image=...}. Needs Docker and {@code org.testcontainers:testcontainers-kafka}
 * on the test class path (an optional dependency of this module).
 */
final class ContainerKafka implements KafkaServer {

    static final String IMAGE_PROPERTY = "dmap.test.kafka.image";

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    static ContainerKafka start() {
        KafkaContainer container = new KafkaContainer(System.getProperty(IMAGE_PROPERTY, "apache/kafka:4.1.1"));
        // the apache/kafka image maps KAFKA_FOO_BAR to foo.bar
        EmbeddedKafka.BROKER_CONFIG.forEach((key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        container.start();
        return new ContainerKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String kind() {
        return "container " + container.getDockerImageName();
    }

    @Override
    public void close() {
        container.stop();
    }
}
