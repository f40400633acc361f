package io.dmap.planner.planning;

/**
 * One source of items (an S3 listing, the request's Input array, later CSV / JSON / JSONL / manifest objects).
 * {@link #open()} starts reading; the stream yields items lazily in source order, so a reader never holds
 * all items. A source that cannot be read throws {@link ItemReaderException} naming the object (and line).
 */
public interface ItemReader {

    ItemStream open();
}
