package io.dmap.asl.jsonata;

import com.dashjoin.jsonata.JException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSONata's error texts as the reference implementation (and so AWS) words them. The Java port's texts read
 * "Object" where the reference says "function" ({@code T0410: Argument 1 of function "range" does not match function
 * signature}) and quote numbers; both are fixed here, outside the quoted values the message carries.
 */
final class JsonataMessages {

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
    private static final Pattern OBJECT_WORD = Pattern.compile("\\bObject\\b");

    private JsonataMessages() {
    }

    /** {@code CODE: message}, e.g. {@code T2001: The left side of the "+" operator must evaluate to a number}. */
    static String of(JException e) {
        return e.getError() + ": " + text(e);
    }

    static String text(JException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        StringBuilder out = new StringBuilder(message.length());
        Matcher quoted = QUOTED.matcher(message);
        int from = 0;
        while (quoted.find()) {
            out.append(OBJECT_WORD.matcher(message.substring(from, quoted.start())).replaceAll("function"));
            String value = quoted.group();
            String inner = value.substring(1, value.length() - 1);
            out.append(isNumber(e, inner) ? inner : value);
            from = quoted.end();
        }
        out.append(OBJECT_WORD.matcher(message.substring(from)).replaceAll("function"));
        return out.toString();
    }

    /** A value the message quoted that was a number in the exception (JSON.stringify leaves numbers bare). */
    private static boolean isNumber(JException e, String text) {
        return (e.getCurrent() instanceof Number && String.valueOf(e.getCurrent()).equals(text))
                || (e.getExpected() instanceof Number && String.valueOf(e.getExpected()).equals(text));
    }
}
