package io.dmap.planner.awsapi;

/**
 * AWS's rules for the names of state machines and executions: 1 to 80 characters, none of whitespace, brackets
 * {@code < > { } [ ]}, wildcards {@code ? *}, the special characters {@code " # % \ ^ | ~ ` $ & , ; : /} and control
 * characters (U+0000 to U+001F, U+007F to U+009F). dmap also keeps them free of {@code /} and {@code :} because they
 * are ARN segments.
 */
final class AwsNames {

    private static final String SPECIAL = "<>{}[]?*\"#%\\^|~`$&,;:/";

    private AwsNames() {
    }

    /** @throws AwsError {@code errorType} (InvalidName) naming the member and the first bad character */
    static String check(String member, String name, String errorType) {
        if (name.isEmpty() || name.length() > 80) {
            throw new AwsError(errorType, "Invalid Name: '" + name + "' (" + member + " must have 1 to 80 characters, has "
                    + name.length() + ")");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || SPECIAL.indexOf(c) >= 0 || c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
                throw new AwsError(errorType, "Invalid Name: '" + name + "' (" + member + " must not contain "
                        + (Character.isWhitespace(c) || Character.isISOControl(c)
                            ? String.format("the character U+%04X", (int) c) : "'" + c + "'") + ")");
            }
        }
        return name;
    }
}
