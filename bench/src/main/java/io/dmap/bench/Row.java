package io.dmap.bench;

import java.util.List;

/**
 * One line of the results table: dmap's values and the baseline's, each the median of the runs.
 *
 * @param higherIsBetter true for rates (items/s, shown as a percentage of the baseline), false for times (shown as
 *                       a multiple of the baseline)
 */
record Row(String scenario, String metric, String unit, List<Double> dmap, String baselineName, List<Double> baseline,
           boolean higherIsBetter, String note) {

    double dmapMedian() {
        return Stats.median(dmap);
    }

    double baselineMedian() {
        return Stats.median(baseline);
    }

    /** dmap's median divided by the baseline's; NaN without a baseline. */
    double ratio() {
        double d = dmapMedian(), b = baselineMedian();
        if (Double.isNaN(d) || Double.isNaN(b) || b == 0) {
            return Double.NaN;
        }
        return d / b;
    }

    /** "12.3 % of it" for rates, "2.51 ×" for times. */
    String ratioText() {
        double r = ratio();
        if (Double.isNaN(r)) {
            return "";
        }
        return higherIsBetter ? String.format("%.1f %%", 100 * r) : String.format("%.2f ×", r);
    }
}
