package io.dmap.planner.awsapi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** nextTokens of lists dmap pages by position (a machine's executions, an execution's map runs and history). */
final class Tokens {

    private Tokens() {
    }

    static String of(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("i:" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** 0 for no token; InvalidToken for one this service did not return. */
    static int index(String token) {
        if (token == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("i:")) {
                int i = Integer.parseInt(text.substring(2));
                if (i >= 0) {
                    return i;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new AwsError("InvalidToken", "Invalid Token: '" + token + "' is not a nextToken this service returned");
    }
}
