package io.dmap.asl;

/**
 * An inline Map inside a child execution: the item processor once per item of {@code items} (ItemsPath or, in
 * JSONata, Items), each input built by {@code itemSelector} (may be null), at most {@code maxConcurrency} at a time.
 */
public record MapState(StateFrame frame, Value items, Value itemSelector, StateMachine processor, Value maxConcurrency,
                       ErrorHandling errors) implements State { }
