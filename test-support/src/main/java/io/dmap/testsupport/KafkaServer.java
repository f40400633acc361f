package io.dmap.testsupport;

/** A running Kafka broker for tests: in-process by default, a container when {@code dmap.test.docker=true}. */
interface KafkaServer extends AutoCloseable {

    String bootstrapServers();

    /** A short description for the start-up line, e.g. "in-process KRaft". */
    String kind();

    @Override
    void close();
}
