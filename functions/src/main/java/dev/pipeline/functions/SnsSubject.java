package dev.pipeline.functions;

/**
 * Fits any text to what SNS accepts as a Publish Subject. Pure.
 *
 * <p>AWS (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): "Subjects must be UTF-8 text with no line
 * breaks or control characters, and less than 100 characters long"; anything else is refused with
 * {@code InvalidParameter} ("Invalid parameter: Subject"). So: control characters and line breaks become spaces,
 * and a text of 100 or more characters is cut to 98 code points plus "…" (never inside a surrogate pair, which
 * would leave invalid UTF-16 that the SDK sends as "?").
 */
public final class SnsSubject {
    /** SNS's limit: a subject is fewer than this many characters. */
    public static final int LIMIT = 100;

    private SnsSubject() {}

    public static String fit(String text) {
        if (text == null || text.isBlank()) return "(no subject)";
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        String s = clean.toString().strip();
        if (s.codePointCount(0, s.length()) < LIMIT) return s;
        return s.substring(0, s.offsetByCodePoints(0, LIMIT - 2)) + "…";
    }
}
