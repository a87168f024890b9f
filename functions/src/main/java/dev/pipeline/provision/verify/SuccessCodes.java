package dev.pipeline.provision.verify;

import java.util.Arrays;

/** ELB's matcher syntax ({@code 200}, {@code 200,302}, {@code 200-299}) as a test on a status code. */
public record SuccessCodes(String matcher) {

    public boolean matches(int status) {
        return Arrays.stream(matcher.split(",")).map(String::trim).anyMatch(part -> {
            int dash = part.indexOf('-');
            if (dash < 0) return Integer.parseInt(part) == status;
            return status >= Integer.parseInt(part.substring(0, dash).trim())
                    && status <= Integer.parseInt(part.substring(dash + 1).trim());
        });
    }
}
