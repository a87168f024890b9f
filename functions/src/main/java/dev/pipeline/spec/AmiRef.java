package dev.pipeline.spec;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A base image reference as written in the spec: either an AMI id ({@code ami-0123456789abcdef0}), an SSM public
 * parameter path ({@code /aws/service/...}) or an explicit {@code resolve:ssm:<parameter>[:version|label]}.
 * The written form is kept as is so a spec serializes back to what the user wrote.
 */
public record AmiRef(String value) {

    /** How the reference is resolved. */
    public enum Kind { IMAGE_ID, SSM_PARAMETER }

    static final String RESOLVE_SSM = "resolve:ssm:";
    private static final Pattern IMAGE_ID = Pattern.compile("ami-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern PUBLIC_PARAMETER = Pattern.compile("/aws/service(?:/[A-Za-z0-9_.\\-]+)+");
    // Parameter names allow a-zA-Z0-9_.-/ ; an optional :version or :label selector follows.
    private static final Pattern RESOLVE = Pattern.compile(
            "resolve:ssm:(/?[A-Za-z0-9_.\\-]+(?:/[A-Za-z0-9_.\\-]+)*)(?::[A-Za-z0-9_.\\-]{1,100})?");
    // SSM's own limit on a parameter name (documented as 1011 characters including the ARN's attributes).
    private static final int MAX_PARAMETER_NAME = 1011;

    public AmiRef {
        Objects.requireNonNull(value, "value");
    }

    public static AmiRef of(String value) {
        return new AmiRef(value);
    }

    public Kind kind() {
        return value.startsWith("ami-") ? Kind.IMAGE_ID : Kind.SSM_PARAMETER;
    }

    /** The parameter name (with any {@code :version} selector) for SSM references; empty for AMI ids. */
    public Optional<String> ssmParameter() {
        if (kind() == Kind.IMAGE_ID) {
            return Optional.empty();
        }
        return Optional.of(value.startsWith(RESOLVE_SSM) ? value.substring(RESOLVE_SSM.length()) : value);
    }

    /**
     * What to put in {@code ImageId} of RunInstances or a launch template: the AMI id, or
     * {@code resolve:ssm:<parameter>}, which EC2 resolves at launch.
     */
    public String imageId() {
        return ssmParameter().map(p -> RESOLVE_SSM + p).orElse(value);
    }

    /** Why {@code text} is not a usable reference, or empty when it is. */
    static Optional<String> problem(String text) {
        String hint = "expected an AMI id (ami-0123456789abcdef0), an SSM public parameter path (/aws/service/...) "
                + "or resolve:ssm:<parameter-name>";
        if (text.startsWith("ami-")) {
            return IMAGE_ID.matcher(text).matches() ? Optional.empty()
                    : Optional.of("malformed AMI id \"" + text + "\": ami- followed by 8 or 17 lowercase hex digits");
        }
        if (text.startsWith(RESOLVE_SSM)) {
            if (!RESOLVE.matcher(text).matches()) {
                return Optional.of("malformed SSM reference \"" + text + "\": parameter names use only "
                        + "letters, digits and _ . - /, optionally followed by :version or :label");
            }
            return text.length() - RESOLVE_SSM.length() > MAX_PARAMETER_NAME
                    ? Optional.of("SSM parameter name longer than " + MAX_PARAMETER_NAME + " characters")
                    : Optional.empty();
        }
        if (text.startsWith("/aws/service/")) {
            return PUBLIC_PARAMETER.matcher(text).matches() && text.length() <= MAX_PARAMETER_NAME
                    ? Optional.empty()
                    : Optional.of("malformed SSM public parameter path \"" + text + "\"");
        }
        if (text.startsWith("/")) {
            return Optional.of("\"" + text + "\" is not an SSM public parameter (those start with /aws/service/); "
                    + "for your own parameter write resolve:ssm:" + text);
        }
        return Optional.of(hint + ", got \"" + text + "\"");
    }
}
