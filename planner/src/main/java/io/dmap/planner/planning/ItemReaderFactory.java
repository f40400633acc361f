package io.dmap.planner.planning;

import io.dmap.asl.map.MapRunSpec;

/** Chooses the {@link ItemReader} for a run's spec; the seam where further sources plug in. */
public interface ItemReaderFactory {

    /**
     * Rejects, with a {@link io.dmap.common.spec.SpecException}, a source this planner cannot read, so that
     * the POST gets a 400 instead of a run that can only fail.
     */
    void checkSupported(MapRunSpec spec);

    ItemReader readerFor(MapRunSpec spec);
}
