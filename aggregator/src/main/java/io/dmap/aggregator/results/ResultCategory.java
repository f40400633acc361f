package io.dmap.aggregator.results;

/** The three kinds of result file, named as AWS names them (and as the manifest's ResultFiles keys). */
enum ResultCategory {
    SUCCEEDED, FAILED, PENDING
}
