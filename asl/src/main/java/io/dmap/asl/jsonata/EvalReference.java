package io.dmap.asl.jsonata;

/**
 * Finds a reference to {@code $eval} in an expression's text, outside string literals, back-quoted names and
 * comments: Step Functions does not offer {@code $eval}, and a definition using it is rejected when it is parsed.
 * (Each evaluation also binds {@code $eval} to a function that fails, for a reference this scan cannot see.)
 */
final class EvalReference {

    private EvalReference() {
    }

    /** {@code "$eval"} if the expression refers to it, else {@code null}. */
    static String find(String expression) {
        int n = expression.length();
        int i = 0;
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipQuoted(expression, i, c);
            } else if (c == '/' && i + 1 < n && expression.charAt(i + 1) == '*') {
                int close = expression.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '$' && expression.startsWith("eval", i + 1)
                    && (i + 5 >= n || !isNameChar(expression.charAt(i + 5)))
                    && (i == 0 || !isNameChar(expression.charAt(i - 1)))) {
                return "$eval";
            } else {
                i++;
            }
        }
        return null;
    }

    private static int skipQuoted(String s, int open, char quote) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
