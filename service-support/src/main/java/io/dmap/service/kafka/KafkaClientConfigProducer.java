package io.dmap.service.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The service's {@link KafkaClientConfig}, from the map quarkus-kafka-client builds out of every {@code kafka.*}
 * property (and {@code KAFKA_*} environment variable), the same map Quarkus hands to Kafka Streams.
 */
@Singleton
public class KafkaClientConfigProducer {

    @Produces
    @Singleton
    KafkaClientConfig kafkaClientConfig(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        return KafkaClientConfig.of(kafka);
    }
}
