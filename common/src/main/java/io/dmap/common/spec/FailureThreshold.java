package io.dmap.common.spec;

/**
 * AWS's tolerated-failure rule. A run fails as soon as its failed items exceed ToleratedFailureCount, or
 * exceed ToleratedFailurePercentage of the total items (judged once the total is known). When the spec sets
 * neither, both are 0: any failed item fails the run. When it sets only one, only that one applies
 * (otherwise a percentage alone could never tolerate anything).
 */
public record FailureThreshold(Integer count, Double percentage) {

    public boolean exceeded(long failedItems, Long totalItems) {
        if (count == null && percentage == null) {
            return failedItems > 0;
        }
        if (count != null && failedItems > count) {
            return true;
        }
        return percentage != null && totalItems != null && failedItems * 100.0 > percentage * totalItems;
    }
}
