package io.dmap.asl;

/** The two query languages of the States Language; a state's own QueryLanguage overrides its machine's. */
public enum QueryLanguage {
    JSONPATH("JSONPath"), JSONATA("JSONata");

    private final String fieldValue;

    QueryLanguage(String fieldValue) {
        this.fieldValue = fieldValue;
    }

    public String fieldValue() {
        return fieldValue;
    }

    /** The language named by a QueryLanguage field, or null when the name is not one of AWS's two. */
    static QueryLanguage named(String value) {
        for (QueryLanguage q : values()) {
            if (q.fieldValue.equals(value)) {
                return q;
            }
        }
        return null;
    }
}
