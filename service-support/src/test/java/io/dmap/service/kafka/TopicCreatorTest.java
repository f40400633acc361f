package io.dmap.service.kafka;

import io.dmap.common.topics.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicCreatorTest {

    private static List<List<Integer>> partitions(List<List<NewTopic>> requests) {
        return requests.stream().map(r -> r.stream().map(NewTopic::numPartitions).toList()).toList();
    }

    @Test
    void aBatchesTopicOfTenThousandPartitionsGoesInARequestOfItsOwn() {
        List<NewTopic> topics = TopicCreator.definitions(Topics.of(""), 10_000, 6, (short) 1);
        // (created with 5,000 partitions and grown: a request of more is refused by KRaft)

        List<List<NewTopic>> requests = TopicCreator.requests(topics, TopicCreator.MAX_PARTITIONS_PER_REQUEST);

        // map-runs first, then map-batches alone, then the six other topics together
        assertEquals(List.of(List.of(6), List.of(10_000), List.of(6, 6, 6, 6, 6, 6)), partitions(requests));
        assertEquals(topics, requests.stream().flatMap(List::stream).toList(), "every topic once, in order");
    }

    @Test
    void theUsualTopicsGoInOneRequest() {
        List<NewTopic> topics = TopicCreator.definitions(Topics.of(""), 2_000, 6, (short) 1);

        assertEquals(1, TopicCreator.requests(topics, TopicCreator.MAX_PARTITIONS_PER_REQUEST).size());
    }

    @Test
    void noRequestHoldsMoreThanTheLimitUnlessOneTopicAloneIsLarger() {
        List<NewTopic> topics = List.of(new NewTopic("a", 4, (short) 1), new NewTopic("b", 4, (short) 1),
                new NewTopic("c", 3, (short) 1), new NewTopic("d", 12, (short) 1), new NewTopic("e", 1, (short) 1));

        assertEquals(List.of(List.of(4, 4), List.of(3), List.of(12), List.of(1)),
                partitions(TopicCreator.requests(topics, 10)));
    }
}
