package io.dmap.asl;

/** StringMatches: {@code *} matches any run of characters; {@code \*} is a literal star, {@code \\} a backslash. */
final class WildcardPattern {

    private WildcardPattern() {
    }

    static boolean matches(String pattern, String text) {
        StringBuilder literal = new StringBuilder();
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                literal.append(pattern.charAt(++i));
            } else if (c == '*') {
                parts.add(literal.toString());
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        parts.add(literal.toString());
        if (parts.size() == 1) {
            return text.equals(parts.get(0));
        }
        String first = parts.get(0);
        String last = parts.get(parts.size() - 1);
        if (!text.startsWith(first) || text.length() < first.length() + last.length()) {
            return false;
        }
        int at = first.length();
        int limit = text.length() - last.length();
        for (int p = 1; p < parts.size() - 1; p++) {
            int found = text.indexOf(parts.get(p), at);
            if (found < 0 || found + parts.get(p).length() > limit) {
                return false;
            }
            at = found + parts.get(p).length();
        }
        return text.endsWith(last);
    }
}
